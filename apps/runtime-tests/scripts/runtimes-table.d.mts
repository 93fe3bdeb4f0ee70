export declare const README: string;
export declare const RESULTS: string;
export declare function renderTable(results: unknown[]): string;
export declare function withTable(readme: string, table: string): string;
export declare function updateReadme(options?: {
  check?: boolean;
  readmePath?: string;
  resultsPath?: string;
}): boolean;
