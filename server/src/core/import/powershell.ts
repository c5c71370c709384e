import { emptyResult, type SourceResult } from './types';
export function importPowerShell(_text: string, _file: string): SourceResult { return emptyResult(); }
