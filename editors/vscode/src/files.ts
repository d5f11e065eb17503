// Which documents the client hands to the server. No `vscode` import: unit-testable.

export const DEFAULT_FILES_GLOB = '**/*.txt';

export interface ReportDocumentFilter {
  scheme: 'file';
  language: 'plaintext';
  pattern: string;
}

/**
 * Only plain-text files on disk that match the glob: a report is a .txt file, and
 * untitled buffers, output channels or git diffs of other text must not reach the server.
 */
export function documentSelector(filesGlob: string | undefined): ReportDocumentFilter[] {
  const pattern = (filesGlob ?? '').trim() || DEFAULT_FILES_GLOB;
  return [{ scheme: 'file', language: 'plaintext', pattern }];
}

/**
 * Per-workspace set of file URIs the user switched off from the status bar.
 * Stored as a sorted array so the persisted state is stable.
 */
export class Exclusions {
  private readonly set: Set<string>;

  constructor(initial: readonly string[] = []) {
    this.set = new Set(initial.map(normalizeUri));
  }

  has(uri: string): boolean {
    return this.set.has(normalizeUri(uri));
  }

  /** Flips the file's state and returns true when it is now excluded. */
  toggle(uri: string): boolean {
    const key = normalizeUri(uri);
    if (this.set.delete(key)) return false;
    this.set.add(key);
    return true;
  }

  toJSON(): string[] {
    return [...this.set].sort();
  }
}

/**
 * VS Code percent-encodes URIs (`file:///c%3A/…`) while paths from other sources may not be;
 * decode so one file never appears under two keys.
 */
export function normalizeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
