// Reading and writing the policy's YAML in the browser, with js-yaml (vendor/, MIT).
//
// The core schema keeps what Sekisho reads as text as text: dates such as an ISMAP validUntil
// stay "2027-03-31" (the default schema would turn them into Date objects and write them back as
// timestamps). Writing never folds long lines and keeps the keys in their order; comments are
// not kept (js-yaml reads none), which is why the edit page says so.

import { load as jsYamlLoad, dump as jsYamlDump, CORE_SCHEMA } from './vendor/js-yaml.mjs';

export function parse(text) {
  return jsYamlLoad(text, { schema: CORE_SCHEMA, json: false });
}

export function write(value) {
  return jsYamlDump(value, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true, quotingType: '"' });
}
