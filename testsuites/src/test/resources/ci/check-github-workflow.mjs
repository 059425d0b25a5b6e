// Parses a GitHub Actions workflow with GitHub's own parser (@actions/workflow-parser) and converts it as the runner
// does; prints the jobs, or every error with its line, and exits 1 on an error.
import { readFileSync } from "node:fs";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";

const name = process.argv[2];
const result = parseWorkflow({ name, content: readFileSync(name, "utf8") }, new NoOperationTraceWriter());
const errors = [...result.context.errors.getErrors()];
if (errors.length === 0 && result.value) {
  const template = await convertWorkflowTemplate(result.context, result.value);
  errors.push(...(template.errors ?? []));
  if (errors.length === 0) {
    console.log(`jobs: ${template.jobs.map((job) => job.id.value).join(", ")}`);
  }
}
for (const error of errors) {
  console.error(error.message ?? error.Message ?? JSON.stringify(error));
}
process.exit(errors.length === 0 ? 0 : 1);
