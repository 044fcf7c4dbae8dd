// Builds the tsconfig that type-checks a fixture's LWC TypeScript with the project's compiler options.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { listLwcBundles } from './lwc-files.mjs';

/** The root tsconfig.json, parsed the way tsc parses it (comments and trailing commas allowed). */
async function readRootTsconfig(root) {
    const ts = createRequire(path.join(root, 'package.json'))('typescript');
    const file = path.join(root, 'tsconfig.json');
    const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
    if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
    return config;
}

/**
 * A tsconfig for `sourceDir` (written to `workDir`) that extends the root one: same compiler options and
 * type libraries, `include` = the fixture's `.ts` plus the project's `types/**\/*.d.ts`, and `paths`
 * mapping `c/<name>` to the fixture's own bundles (the other root paths are kept, made absolute).
 * Returns the path of the written file.
 */
export async function writeFixtureTsconfig({ root, sourceDir, workDir }) {
    const rootConfig = await readRootTsconfig(root);
    const rootOptions = rootConfig.compilerOptions ?? {};
    const baseUrl = path.resolve(root, rootOptions.baseUrl ?? '.');

    const paths = {};
    for (const [pattern, targets] of Object.entries(rootOptions.paths ?? {})) {
        if (pattern.startsWith('c/')) continue; // component imports resolve inside the fixture
        paths[pattern] = targets.map((target) => path.resolve(baseUrl, target));
    }
    for (const bundle of await listLwcBundles(sourceDir)) {
        paths[`c/${bundle.name}`] = [path.join(bundle.dir, bundle.name)];
    }

    const config = {
        extends: path.join(root, 'tsconfig.json'),
        compilerOptions: {
            // `types` entries resolve from the tsconfig's directory: point them at the project's node_modules
            typeRoots: [path.join(root, 'node_modules', '@types'), path.join(root, 'node_modules')],
            paths
        },
        include: [path.join(sourceDir, '**', '*.ts'), path.join(root, 'types', '**', '*.d.ts')]
    };
    const file = path.join(workDir, 'tsconfig.json');
    await fs.writeFile(file, JSON.stringify(config, null, 4));
    return file;
}
