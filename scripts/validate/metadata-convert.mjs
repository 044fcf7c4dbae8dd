// Stage metadata-convert: what `sf project convert source` / the deploy's first step does, offline, with
// @salesforce/source-deploy-retrieve. On the deployable copy (types stripped, the project's .forceignore):
// every file must belong to a metadata component SDR can type (unknown files and misplaced components fail),
// conversion to Metadata API format must succeed, and nothing Jest- or TypeScript-only may reach the package.
// On the real force-app it also (re)writes manifest/package.xml, sorted, only when it changed.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { prepareDeployableProject, sourcePathMapper } from './lib/metadata-project.mjs';
import { formatProblem, isProjectSource, readSourceApiVersion, walkFiles } from './lib/metadata-files.mjs';

/** Converted files that must never be deployed (the .forceignore is supposed to keep them out). */
const NOT_DEPLOYABLE = [
    { test: (file) => file.endsWith('.ts'), why: 'TypeScript source in the package (.forceignore **/*.ts)' },
    {
        test: (file) => /[/\\]__(tests|mocks)__[/\\]/.test(file),
        why: 'Jest file in the package (.forceignore)'
    }
];

export default {
    name: 'metadata-convert',
    description: 'source-deploy-retrieve: type every file, convert to Metadata API format, package.xml',
    async run({ root, sourceDir, workDir }) {
        // @salesforce/core logs to ~/.sf by default: keep validate side-effect free
        process.env.SF_DISABLE_LOG_FILE ??= 'true';
        const sdr = createRequire(path.join(root, 'package.json'))('@salesforce/source-deploy-retrieve');
        const sourceApiVersion = await readSourceApiVersion(root);

        const { projectDir, packageDir } = await prepareDeployableProject({ root, sourceDir, workDir });
        const map = sourcePathMapper(packageDir, sourceDir);
        const blame = (file, line, message) =>
            formatProblem(root, map.fromCopy(file), line, map.inText(message));

        const forceIgnore = sdr.ForceIgnore.findAndCreate(projectDir);
        const deployable = (await walkFiles(packageDir)).filter((file) => forceIgnore.accepts(file));

        const problems = [];
        let components;
        try {
            const set = sdr.ComponentSet.fromSource({ fsPaths: [packageDir] });
            set.sourceApiVersion = sourceApiVersion;
            components = set;
        } catch (error) {
            return { problems: [resolveFailure(error, packageDir, blame)] };
        }
        const sourceComponents = components.getSourceComponents().toArray();

        if (deployable.length > 0 && sourceComponents.length === 0) {
            problems.push(blame(packageDir, 0, `${deployable.length} files but no metadata component`));
        }
        for (const component of sourceComponents.filter((c) => !c.xml)) {
            const where = component.content ?? packageDir;
            problems.push(
                blame(where, 0, `${component.type.name} ${component.fullName} has no -meta.xml file`)
            );
        }
        const covered = coveredFiles(sourceComponents);
        for (const file of deployable.filter((f) => !covered.has(f))) {
            problems.push(blame(file, 0, 'not part of any metadata component: it would not be deployed'));
        }

        if (sourceComponents.length > 0) {
            const outputDirectory = path.join(workDir, 'mdapi');
            try {
                await new sdr.MetadataConverter().convert(components, 'metadata', {
                    type: 'directory',
                    outputDirectory,
                    genUniqueDir: false
                });
            } catch (error) {
                problems.push(blame(packageDir, 0, `conversion failed: ${error.name}: ${error.message}`));
            }
            for (const file of await walkFiles(outputDirectory)) {
                const rule = NOT_DEPLOYABLE.find((r) => r.test(file));
                if (rule) problems.push(`${path.relative(outputDirectory, file)}:0: ${rule.why}`);
            }
        }

        if (problems.length === 0 && isProjectSource(root, sourceDir)) {
            await writeIfChanged(
                path.join(root, 'manifest', 'package.xml'),
                await components.getPackageXml(4)
            );
        }
        return { problems };
    }
};

/**
 * A ComponentSet.fromSource failure (TypeInferenceError for a file SDR cannot type, ExpectedSourceFilesError
 * for a -meta.xml without its content...), blamed on the file SDR names at the start of its message.
 */
function resolveFailure(error, packageDir, blame) {
    const named = /^(\/[^:]+): (.*)$/s.exec(String(error.message));
    const [file, message] = named ? [named[1], named[2]] : [packageDir, String(error.message)];
    const hint =
        error.name === 'ExpectedSourceFilesError' ? ' (a generated file? run `npm run build` first)' : '';
    return blame(file, 0, `${error.name}: ${message}${hint}`.split('\n')[0]);
}

/** Every file SDR attributes to a component: metadata xml, content, bundle files, decomposed children. */
function coveredFiles(sourceComponents) {
    const covered = new Set();
    const visit = (component) => {
        for (const file of [component.xml, component.content, ...component.walkContent()]) {
            if (file) covered.add(file);
        }
        for (const child of component.getChildren()) visit(child);
    };
    sourceComponents.forEach(visit);
    return covered;
}

/** Writes only on change, so a validate run does not touch a generated file that is already right. */
async function writeIfChanged(file, content) {
    const current = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (current === content) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
}
