// Download links for a table's exports. The text is made by the API (byte-stable); the link
// carries it as a data: URL so the download is exactly what the page was rendered from.
export interface ExportFile {
  format: string;
  label: string;
  fileName: string;
  mime: string;
  content: string;
}

export function ExportLinks({ files }: { files: readonly ExportFile[] }) {
  return (
    <div className="export-links" aria-label="Export">
      {files.map((file) => (
        <a
          key={file.format}
          className="ui-button"
          download={file.fileName}
          href={`data:${file.mime};charset=utf-8,${encodeURIComponent(file.content)}`}
          data-export={file.format}
        >
          ⤓ {file.label}
        </a>
      ))}
    </div>
  );
}
