// GitHub's workflow parser imports its JSON schema without an import attribute, which Node.js refuses: add it
// (importAssertions for Node.js 18, importAttributes from 20 on).
export async function load(url, context, nextLoad) {
  if (url.endsWith(".json")) {
    return nextLoad(url, { ...context, importAttributes: { type: "json" }, importAssertions: { type: "json" } });
  }
  return nextLoad(url, context);
}
