// What a committed dataset-pack manifest records, so that every client can check a downloaded pack's bytes
// and show the data's source and terms next to the download.

export interface DatasetPackManifest {
  /** SHA-256 of the whole pack file, lowercase hex. */
  readonly sha256: string;
  readonly bytes: number;
  /** Where the web client fetches it (content-addressed, served with a one-year immutable cache). */
  readonly path: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** Where the data comes from, to show next to every download. */
  readonly source: string;
  /** The data's licence terms, to show next to every download. */
  readonly terms: string;
}
