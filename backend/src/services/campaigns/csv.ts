/** @module CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a formula made inert. */

/**
 * One cell: a value starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so Excel, LibreOffice
 * and Google Sheets show it as text instead of evaluating it; every cell is quoted, with quotes doubled.
 */
function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Rows joined with CRLF, as RFC 4180 writes them. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
