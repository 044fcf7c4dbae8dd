// Stage vulnerable-libs: third-party JavaScript with known vulnerabilities (the security review's RetireJS
// check), through Code Analyzer's retire-js engine. It scans the source folder's JavaScript and static
// resources (plain files, .resource files and zip archives, including the built webphoneCore bundle) and
// the installed versions of the npm packages that get bundled (sip.js, libphonenumber-js and their deps).
// Offline: the engine runs retire with --jsrepo pointing at the vulnerability database shipped inside the
// engine package, so nothing is downloaded. Any finding fails, whatever its severity.
import * as retireEngine from '@salesforce/code-analyzer-retirejs-engine';
import { runCodeAnalyzer, SEVERITY_NAMES } from './lib/apex-code-analyzer.mjs';
import { missingSourceProblems } from './lib/apex-files.mjs';
import { displayPath } from './lib/metadata-files.mjs';
import { oneLine } from './lib/apex-messages.mjs';
import { retireKnownLibraries, stageBundledPackages, unstagePath } from './lib/retire-bundled.mjs';

/** "'jquery v1.8.1' contains a known vulnerability. ... Vulnerability details: {json}" -> its parts. */
function parseRetireMessage(message) {
    const library = /'([^']+)'/.exec(message)?.[1] ?? 'unknown library';
    const inZip = /found inside of the zipped archive in '([^']+)'/.exec(message)?.[1];
    let identifiers = {};
    const details = message.indexOf('Vulnerability details:');
    if (details >= 0) {
        try {
            identifiers = JSON.parse(message.slice(details + 'Vulnerability details:'.length));
        } catch {
            identifiers = {};
        }
    }
    const id =
        identifiers.CVE?.[0] ??
        identifiers.githubID ??
        (identifiers.issue ? `issue ${identifiers.issue}` : undefined);
    const label =
        id ?? (identifiers.summary ? oneLine(identifiers.summary).slice(0, 60) : 'unnamed advisory');
    return { library, inZip, label };
}

export default {
    name: 'vulnerable-libs',
    description: 'no third-party JavaScript with known vulnerabilities (Code Analyzer retire-js, offline)',
    async run(ctx) {
        const missingSource = await missingSourceProblems(ctx);
        if (missingSource.length > 0) return { problems: missingSource };
        const problems = [];
        const staged = await stageBundledPackages(ctx.root, ctx.workDir);
        for (const name of staged.missing) {
            problems.push(
                `package.json:0: bundled dependency ${name} is not installed: run \`npm ci\` so its exact version can be scanned`
            );
        }

        const run = await runCodeAnalyzer({
            workDir: ctx.workDir,
            plugins: [retireEngine.createEnginePlugin()],
            selectors: ['retire-js'],
            workspace: [ctx.sourceDir, staged.stagingRoot]
        });

        // retire reports one finding per advisory: group them per file and library.
        /** @type {Map<string, { where: string, library: string, worst: number, labels: string[] }>} */
        const groups = new Map();
        for (const finding of run.findings) {
            const parsed = parseRetireMessage(finding.message);
            const { file, pkg } = finding.file
                ? unstagePath(staged.packages, finding.file)
                : { file: undefined, pkg: undefined };
            const where = file
                ? `${displayPath(ctx.root, file)}:${finding.line || 1}`
                : `${displayPath(ctx.root, ctx.sourceDir)}:0`;
            let library = parsed.inZip
                ? `${parsed.library} (inside the archive, at ${parsed.inZip})`
                : parsed.library;
            if (pkg)
                library += ` (in npm ${pkg.name}@${pkg.version}, which is bundled into a static resource)`;
            const key = `${where}\u0000${library}`;
            const group = groups.get(key) ?? { where, library, worst: 5, labels: [] };
            group.worst = Math.min(group.worst, finding.severity);
            if (finding.file) group.labels.push(parsed.label);
            else group.labels.push(oneLine(finding.message)); // an engine failure, not an advisory
            groups.set(key, group);
        }
        for (const group of groups.values()) {
            const labels = [...new Set(group.labels)];
            problems.push(
                `${group.where}: ${group.library} has ${labels.length} known vulnerabilit${labels.length === 1 ? 'y' : 'ies'} ` +
                    `(worst ${SEVERITY_NAMES[group.worst]}): ${labels.join(', ')}: upgrade or remove it`
            );
        }
        for (const error of run.errors) problems.push(`${displayPath(ctx.root, ctx.sourceDir)}:0: ${error}`);

        const known = await retireKnownLibraries();
        for (const pkg of staged.packages) {
            const coverage = known.has(pkg.name.toLowerCase())
                ? 'retire.js has signatures for it'
                : 'retire.js has no signature for it: only libraries vendored inside it can be detected';
            console.log(`      info: scanned ${pkg.name}@${pkg.version} (${pkg.files} files); ${coverage}`);
        }
        for (const warning of run.warnings) console.log(`      info: ${warning}`);
        return { problems };
    }
};
