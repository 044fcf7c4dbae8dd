// Stages the npm packages that get bundled into static resources so the retire-js engine can scan them.
// The engine skips every path containing /node_modules/, so their JavaScript files are copied into the
// stage's workDir first, and findings are mapped back to the real node_modules paths afterwards.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * @typedef {object} BundledPackage
 * @property {string} name npm name
 * @property {string} version installed version
 * @property {string} dir absolute folder in node_modules
 * @property {string} stagedDir absolute folder in workDir holding the copy
 * @property {number} files number of JavaScript files copied
 */

async function readJson(file) {
    return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** Finds an installed package the way Node resolves it: nearest node_modules first, then the root's. */
async function findPackageDir(name, fromDir, root) {
    for (const base of [fromDir, root]) {
        const candidate = path.join(base, 'node_modules', name);
        if (await fs.stat(path.join(candidate, 'package.json')).catch(() => null)) return candidate;
    }
    return null;
}

async function copyJavaScript(fromDir, toDir) {
    let count = 0;
    const entries = await fs.readdir(fromDir, { withFileTypes: true });
    for (const entry of entries) {
        const from = path.join(fromDir, entry.name);
        if (entry.isDirectory()) {
            // Nested dependencies are staged on their own (they are part of the dependency closure).
            if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
                count += await copyJavaScript(from, path.join(toDir, entry.name));
            }
        } else if (entry.isFile() && JS_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
            await fs.mkdir(toDir, { recursive: true });
            await fs.copyFile(from, path.join(toDir, entry.name));
            count++;
        }
    }
    return count;
}

/**
 * The npm packages esbuild bundles into the webphoneCore and voiceConnector static resources. Keep in step
 * with the build: package.json "dependencies" also holds Node-only tools (jsforce, yaml...) that never reach the browser.
 */
const BUNDLED_PACKAGES = ['sip.js', 'libphonenumber-js', '@salesforce/scv-connector-base'];

/**
 * Copies the JavaScript of the installed bundled packages, and of their own runtime dependencies, into
 * `<workDir>/bundled/<name>@<version>/`.
 * @param {string} root project root (holds node_modules)
 * @param {string} workDir the stage's temp folder
 * @returns {Promise<{ packages: BundledPackage[], missing: string[], stagingRoot: string }>}
 */
export async function stageBundledPackages(root, workDir) {
    const stagingRoot = path.join(workDir, 'bundled');
    await fs.mkdir(stagingRoot, { recursive: true });
    const queue = BUNDLED_PACKAGES.map((name) => ({ name, fromDir: root }));
    const packages = [];
    const missing = [];
    const seen = new Set();
    while (queue.length > 0) {
        const { name, fromDir } = queue.shift();
        const dir = await findPackageDir(name, fromDir, root);
        if (!dir) {
            missing.push(name);
            continue;
        }
        if (seen.has(dir)) continue;
        seen.add(dir);
        const manifest = await readJson(path.join(dir, 'package.json'));
        const stagedDir = path.join(stagingRoot, `${name.replace('/', '+')}@${manifest.version}`);
        const files = await copyJavaScript(dir, stagedDir);
        packages.push({ name, version: manifest.version, dir, stagedDir, files });
        for (const dependency of Object.keys(manifest.dependencies ?? {}))
            queue.push({ name: dependency, fromDir: dir });
    }
    return { packages, missing, stagingRoot };
}

/**
 * Maps a file inside a staged copy back to its node_modules path.
 * @param {BundledPackage[]} packages
 * @param {string} file absolute path, possibly inside a staged copy
 * @returns {{ file: string, pkg: BundledPackage | undefined }}
 */
export function unstagePath(packages, file) {
    const pkg = packages.find((candidate) => file.startsWith(candidate.stagedDir + path.sep));
    return pkg
        ? { file: path.join(pkg.dir, path.relative(pkg.stagedDir, file)), pkg }
        : { file, pkg: undefined };
}

/**
 * The library names retire.js has signatures for (its bundled database), by component name and npm name.
 * @returns {Promise<Set<string>>} lower-case names
 */
export async function retireKnownLibraries() {
    const require = createRequire(import.meta.url);
    const engineDir = path.dirname(require.resolve('@salesforce/code-analyzer-retirejs-engine/package.json'));
    const repository = await readJson(path.join(engineDir, 'vulnerabilities', 'RetireJsVulns.json'));
    const names = new Set();
    for (const [component, entry] of Object.entries(repository)) {
        names.add(component.toLowerCase());
        if (entry && typeof entry.npmname === 'string') names.add(entry.npmname.toLowerCase());
    }
    return names;
}
