// Why: shows a dataset pack's source and terms wherever the Lab downloads it, and the download itself:
// bytes so far of the total, then whether it came from this browser's cache, always SHA-256 checked.
import type { DatasetPackManifest } from "../../../shared/data/pack-manifest";
import type { DownloadProgress } from "../train/messages";
import { formatBytes } from "./format-bytes";

/** The data's origin and licence, with the pack's size and hash. */
export function DatasetTerms({ manifest }: { readonly manifest: DatasetPackManifest }) {
  return (
    <div class="notice notice-info dataset-terms" data-testid="dataset-terms">
      <p>
        <strong>Data:</strong> {manifest.source}. Your browser downloads this {formatBytes(manifest.bytes)} pack ({manifest.count.toLocaleString("en-US")}{" "}
        images, {manifest.rows}×{manifest.cols}) once, checks its SHA-256 and keeps it in this browser's Cache Storage for later runs.
      </p>
      <p class="muted">
        SHA-256: <code class="digest">{manifest.sha256}</code>
      </p>
      <p>
        <strong>Terms:</strong> {manifest.terms}
      </p>
    </div>
  );
}

/** The download's progress bar while it runs, then where the pack came from. */
export function DownloadStatus({ download, manifest }: { readonly download: DownloadProgress | null; readonly manifest: DatasetPackManifest }) {
  if (!download) {
    return (
      <p class="muted" data-testid="download-status">
        Looking for the dataset in this browser's cache…
      </p>
    );
  }
  if (download.fromCache !== null) {
    return (
      <p class="muted" data-testid="download-status" data-from-cache={String(download.fromCache)}>
        Dataset: {download.fromCache ? "taken from this browser's cache" : `downloaded (${formatBytes(download.total)}) and kept in this browser's cache`}, SHA-256
        checked.
      </p>
    );
  }
  return (
    <div class="progress-row" data-testid="download-status" data-from-cache="null">
      <progress max={download.total} value={download.received} aria-label={`Downloading ${manifest.path}`} />
      <span class="progress-text">
        Downloading {manifest.source.split(",")[0]}: {formatBytes(download.received)} of {formatBytes(download.total)} (terms above)
      </span>
    </div>
  );
}
