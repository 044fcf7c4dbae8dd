// Stage metadata-xml: every `*.xml` under the source tree is well-formed; metadata files (everything but the
// content of static resources) have the Metadata API namespace on the right root element for their suffix
// and an apiVersion not newer than sfdx-project.json's. SDR accepts broken XML, the deploy does not.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkMetadataXml, loadRootElementsBySuffix } from './lib/metadata-xml-check.mjs';
import { formatProblem, isTestDir, readSourceApiVersion, walkFiles } from './lib/metadata-files.mjs';

export default {
    name: 'metadata-xml',
    description: 'metadata XML well-formed, namespaced, root element and apiVersion',
    async run({ root, sourceDir }) {
        const files = (await walkFiles(sourceDir, { skipDir: isTestDir })).filter((file) =>
            file.endsWith('.xml')
        );
        if (files.length === 0) return { problems: [] };
        const options = {
            rootElementsBySuffix: loadRootElementsBySuffix(root),
            sourceApiVersion: await readSourceApiVersion(root)
        };
        const problems = [];
        for (const file of files) {
            const text = await fs.readFile(file, 'utf8');
            const requireNamespace = !isStaticResourceContent(file);
            for (const { line, message } of checkMetadataXml(text, file, { ...options, requireNamespace })) {
                problems.push(formatProblem(root, file, line, message));
            }
        }
        return { problems };
    }
};

/** A file inside a static resource (not its `.resource-meta.xml`): arbitrary XML, only well-formedness counts. */
function isStaticResourceContent(file) {
    const parts = file.split(path.sep);
    const index = parts.lastIndexOf('staticresources');
    return index >= 0 && !(index === parts.length - 2 && file.endsWith('.resource-meta.xml'));
}
