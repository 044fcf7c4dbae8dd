// Stage metadata-convert: what `sf project convert source` / the deploy's first step does, offline, with
// @salesforce/source-deploy-retrieve. On the deployable copy (types stripped, the project's .forceignore):
// every file must belong to a metadata component SDR can type (unknown files and misplaced components fail),
// conversion to Metadata API format must succeed, and nothing Jest- or TypeScript-only may reach the package.
// On the real force-app it also (re)writes manifest/package.xml, sorted, only when it changed, and checks the
// project's other package directories (sfdx-project.json, e.g. voice-package/) the same way.
// Types that need an add-on licence (LICENCE_GATED) may not be in force-app: `ccphone` would not install
// without it; they belong in a package of their own that depends on ccphone.
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

/** Metadata types whose install needs an add-on licence, and where they go instead. */
const LICENCE_GATED = new Map([
    ['ConversationVendorInfo', 'the Salesforce Voice for Partner Telephony add-on licence'],
    ['ConversationVendorFieldDef', 'the Salesforce Voice for Partner Telephony add-on licence']
]);

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

        for (const component of sourceComponents) {
            const licence = LICENCE_GATED.get(component.type.name);
            if (licence) {
                problems.push(
                    blame(
                        component.xml ?? packageDir,
                        0,
                        `${component.type.name} ${component.fullName} needs ${licence}: ccphone would not ` +
                            'install without it; put it in voice-package/ (a package that depends on ccphone)'
                    )
                );
            }
        }

        if (isProjectSource(root, sourceDir)) {
            for (const extra of await otherPackageDirectories(root)) {
                problems.push(
                    ...(await checkPackageDirectory({ sdr, root, dir: extra, workDir, sourceApiVersion }))
                );
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

/** The package directories of sfdx-project.json other than force-app (absolute paths). */
async function otherPackageDirectories(root) {
    const project = JSON.parse(await fs.readFile(path.join(root, 'sfdx-project.json'), 'utf8'));
    return (project.packageDirectories ?? [])
        .map((entry) => path.resolve(root, entry.path))
        .filter((dir) => dir !== path.resolve(root, 'force-app'));
}

/**
 * Another package directory (no LWC TypeScript in it): it must exist, hold metadata components only, and
 * convert to Metadata API format.
 */
async function checkPackageDirectory({ sdr, root, dir, workDir, sourceApiVersion }) {
    const blame = (file, message) => formatProblem(root, file, 0, message);
    const forceIgnore = sdr.ForceIgnore.findAndCreate(root);
    const files = (await walkFiles(dir)).filter((file) => forceIgnore.accepts(file));
    if (files.length === 0) return [blame(dir, 'package directory of sfdx-project.json without metadata')];
    let components;
    try {
        components = sdr.ComponentSet.fromSource({ fsPaths: [dir] });
        components.sourceApiVersion = sourceApiVersion;
    } catch (error) {
        return [
            resolveFailure(error, dir, (file, line, message) => formatProblem(root, file, line, message))
        ];
    }
    const problems = [];
    const sourceComponents = components.getSourceComponents().toArray();
    const covered = coveredFiles(sourceComponents);
    for (const file of files.filter((f) => !covered.has(f))) {
        problems.push(blame(file, 'not part of any metadata component: it would not be deployed'));
    }
    try {
        await new sdr.MetadataConverter().convert(components, 'metadata', {
            type: 'directory',
            outputDirectory: path.join(workDir, `mdapi-${path.basename(dir)}`),
            genUniqueDir: false
        });
    } catch (error) {
        problems.push(blame(dir, `conversion failed: ${error.name}: ${error.message}`));
    }
    return problems;
}

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
