// CSV built in the browser from records already on the page (the current search), for
// spreadsheet programs: a BOM so Excel reads UTF-8, CRLF line ends, and a guard against formula
// injection (a cell beginning with = + - @ or a control character is prefixed with ').

const FORMULA = /^[=+\-@\t\r]/;

/** One cell, quoted when it must be, guarded when it could be read as a formula. */
export function cell(value) {
  let text = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  if (FORMULA.test(text)) {
    text = "'" + text;
  }
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** The CSV text: a header row of `columns` (each {title, value: record → cell}) and a row per record. */
export function csv(columns, records) {
  const lines = [columns.map(c => cell(c.title)).join(',')];
  records.forEach(record => lines.push(columns.map(c => cell(c.value(record))).join(',')));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Offers `text` as a file download, without a server round trip. */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
