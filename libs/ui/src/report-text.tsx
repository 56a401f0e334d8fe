// The structured report as plain text, as it will be downloaded: wrapped, never a scroll region.
export function ReportText({ text, label = 'Structured report (plain text)' }: { text: string; label?: string }) {
  return (
    <pre className="ui-report-text" data-testid="report-text" aria-label={label}>
      {text}
    </pre>
  );
}
