import { emptyResult, type SourceResult } from './types';
export function importVagrant(_text: string, _file: string): SourceResult { return emptyResult(); }
