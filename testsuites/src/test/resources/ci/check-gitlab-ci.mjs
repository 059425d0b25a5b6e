// Validates a GitLab CI file against GitLab's own JSON schema, as gitlab-ci-local does before it runs a pipeline
// (its validator, with the schema GitLab publishes); prints the jobs, or the schema's errors and exits 1.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { Validator } from "gitlab-ci-local/src/validator.js";

const file = process.argv[2];
const config = yaml.load(readFileSync(file, "utf8"));
try {
  Validator.jsonSchemaValidation({ pathToExpandedGitLabCi: file, gitLabCiConfig: config, argv: { ignoreSchemaPaths: [] } });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const keywords = new Set(["stages", "variables", "default", "include", "workflow", "image", "services", "cache"]);
console.log(`jobs: ${Object.keys(config).filter((key) => !keywords.has(key) && !key.startsWith(".")).join(", ")}`);
