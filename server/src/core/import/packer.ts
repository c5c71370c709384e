import { emptyResult, type SourceResult } from './types';
export function importPackerJson(_text: string, _file: string): SourceResult { return emptyResult(); }
export function importPackerHcl(_text: string, _file: string): SourceResult { return emptyResult(); }
