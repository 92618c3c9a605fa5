/**
 * Keys written twice in one JSON object. JSON.parse keeps the last silently (ECMA-262,
 * JSON.parse: a later property of the same name overwrites the earlier), and RFC 8259
 * (section 4) says of such names "the behavior of software that receives such an object
 * is unpredictable": another reader, or a person, may take the first. The text must be
 * valid JSON (parse it first); this walks it once, tracking where it is.
 */

/** One key written twice: where the object is (`deployment.resources[3]`) and the key. */
export interface DuplicateKey {
  readonly path: string;
  readonly key: string;
}

/** Every key that appears twice in the same object of `text`, with the object's path. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  };
  const readString = (): string => {
    const start = at++;
    while (text.charAt(at) !== '"') at += text.charAt(at) === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const readObject = (path: string) => {
    const seen = new Set<string>();
    at++;
    skipSpace();
    if (text.charAt(at) === "}") return void at++;
    for (;;) {
      skipSpace();
      const key = readString();
      if (seen.has(key)) found.push({ path, key });
      seen.add(key);
      skipSpace();
      at++; // the colon
      readValue(path ? `${path}.${key}` : key);
      skipSpace();
      if (text.charAt(at++) !== ",") return;
    }
  };
  const readArray = (path: string) => {
    at++;
    skipSpace();
    if (text.charAt(at) === "]") return void at++;
    for (let index = 0; ; index++) {
      readValue(`${path}[${index}]`);
      skipSpace();
      if (text.charAt(at++) !== ",") return;
    }
  };
  const readValue = (path: string): void => {
    skipSpace();
    const first = text.charAt(at);
    if (first === "{") readObject(path);
    else if (first === "[") readArray(path);
    else if (first === '"') readString();
    else while (at < text.length && !",]} \t\n\r".includes(text.charAt(at))) at++;
  };
  readValue("");
  return found;
}
