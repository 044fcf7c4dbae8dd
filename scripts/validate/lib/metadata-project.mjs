// Builds the deployable copy of a source tree in a work directory: the project's sfdx-project.json and
// .forceignore beside a `force-app` copy whose LWC TypeScript is stripped to JavaScript, as `npm run build`
// leaves it before `sf project deploy`. SDR then reads the copy exactly as the CLI would.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stripTree } from '../../lib/strip-types.mjs';
import { findLwcRoots } from './lwc-files.mjs';

/**
 * Copies `sourceDir` to `<workDir>/project/force-app` with the project's sfdx-project.json and .forceignore;
 * returns `{ projectDir, packageDir }`. The package directory is named like the real one so the
 * .forceignore patterns (e.g. `force-app/test/**`) apply to fixtures too.
 */
export async function prepareDeployableProject({ root, sourceDir, workDir }) {
    const projectDir = path.join(workDir, 'project');
    const packageDir = path.join(projectDir, 'force-app');
    await fs.mkdir(projectDir, { recursive: true });
    await fs.cp(sourceDir, packageDir, {
        recursive: true,
        filter: (source) => path.basename(source) !== 'node_modules'
    });
    for (const name of ['sfdx-project.json', '.forceignore']) {
        try {
            await fs.copyFile(path.join(root, name), path.join(projectDir, name));
        } catch (error) {
            if (error.code !== 'ENOENT') throw error;
        }
    }
    for (const lwcRoot of await findLwcRoots(packageDir)) await stripTree(lwcRoot);
    return { projectDir, packageDir };
}

/** Maps paths inside the copy back to the source tree, in file names and in messages. */
export function sourcePathMapper(packageDir, sourceDir) {
    const fromCopy = (file) => {
        const relative = path.relative(packageDir, file);
        return relative.startsWith('..') ? file : path.join(sourceDir, relative);
    };
    const inText = (text) => String(text).split(packageDir).join(sourceDir);
    return { fromCopy, inText };
}
