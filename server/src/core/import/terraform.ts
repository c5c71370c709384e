import { emptyResult, type SourceResult } from './types';
export function importTerraform(_i: { file: string; text: string }[]): SourceResult { return emptyResult(); }
