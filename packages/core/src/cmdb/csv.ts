/**
 * RFC 4180 CSV: fields separated by commas, quoted with double quotes when
 * they hold commas, quotes (doubled) or line breaks; CRLF or LF line ends.
 * Returns the records with the line each starts on, or the first syntax error.
 */
export function parseCsv(text: string): { records: Array<{ line: number; fields: string[] }> } | { error: { line: number; message: string } } {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark, as spreadsheets write

  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };

  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") return { error: { line, message: "a closing quote must end the field" } };
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== "") return { error: { line, message: "a quote may only open a field" } };
      quoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) return { error: { line: recordLine, message: "a quoted field is not closed" } };
  if (field !== "" || fields.length > 0) endRecord();
  return { records };
}

/** A CSV field as a spreadsheet reads it back: quoted when it must be, and never a formula. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`; // CSV injection: a spreadsheet would run it
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
