// A run's downloads as a list: each file a link with a `download` name, what it holds and its size, or, where
// the server does not serve it (yet), the file named without a link and the reason beside it.
import type { RunFile } from "./run-files";

export function RunDownloads({ files }: { readonly files: readonly RunFile[] }) {
  return (
    <ul class="run-downloads" data-testid="run-downloads">
      {files.map((file) => (
        <li key={file.kind} data-testid="run-download" data-kind={file.kind} data-available={String(file.unavailable === null)} data-bytes={file.bytes ?? undefined}>
          {file.unavailable === null ? (
            <a href={file.href} download={file.filename} class="button secondary">
              {file.label}
            </a>
          ) : (
            <span class="button secondary disabled" aria-disabled="true">
              {file.label}
            </span>
          )}{" "}
          <span class="muted">
            <code>{file.filename}</code> — {file.size}
          </span>
          {file.unavailable !== null && (
            <span class="run-download-reason" data-testid="run-download-reason">
              {file.unavailable}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
