import { emptyResult, type SourceResult } from './types';
export function importHyperVXml(_text: string, _file: string): SourceResult { return emptyResult(); }
