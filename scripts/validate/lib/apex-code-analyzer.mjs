// Runs @salesforce/code-analyzer-core with a given set of engine plugins, entirely inside the stage's workDir
// (working files, logs, PMD's rule cache), and flattens what comes back into plain records. Shared by the
// apex-pmd and vulnerable-libs stages.
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel } from '@salesforce/code-analyzer-core';
import { oneLine } from './apex-messages.mjs';

/**
 * @typedef {object} Finding
 * @property {string} engine engine name ('pmd', 'retire-js')
 * @property {string} rule rule name
 * @property {number} severity 1 Critical, 2 High, 3 Moderate, 4 Low, 5 Info (after config overrides)
 * @property {string[]} tags the rule's tags
 * @property {string | undefined} file absolute path, undefined for an engine failure
 * @property {number} line 1-based, 0 when unknown
 * @property {number} column 1-based, 0 when unknown
 * @property {string} message
 */

/**
 * @typedef {object} AnalyzerRun
 * @property {Finding[]} findings every violation, all severities
 * @property {string[]} errors engine/core log events at Error level (e.g. PMD parse errors): failures
 * @property {string[]} warnings log events at Warn level: information only
 * @property {{ engine: string, name: string, severity: number }[]} rules the rules that were selected
 */

/**
 * @param {object} options
 * @param {string} options.workDir temp folder for Code Analyzer's working files and logs
 * @param {import('@salesforce/code-analyzer-engine-api').EnginePlugin[]} options.plugins engine plugins to add
 * @param {string[]} options.selectors rule selectors, e.g. ['pmd:AppExchange', 'pmd:Security']
 * @param {string[]} options.workspace files and folders to analyse
 * @param {Record<string, object>} [options.engines] per-engine configuration (Code Analyzer `engines` section)
 * @param {Record<string, object>} [options.rules] per-rule overrides (Code Analyzer `rules` section)
 * @returns {Promise<AnalyzerRun>}
 */
export async function runCodeAnalyzer({ workDir, plugins, selectors, workspace, engines = {}, rules = {} }) {
    const config = CodeAnalyzerConfig.fromObject(
        {
            config_root: workDir,
            log_folder: workDir,
            log_level: LogLevel.Warn,
            root_working_folder: workDir,
            engines,
            rules,
            // `code-analyzer-suppress` comments are ignored: one silences a rule down to the end of the file,
            // too wide for a security gate
            suppressions: { disable_suppressions: true }
        },
        workDir
    );
    const analyzer = new CodeAnalyzer(config);
    const errors = [];
    const warnings = [];
    const onLog = (source) => (event) => {
        const text = oneLine(`${source}: ${event.message}`);
        if (event.logLevel === LogLevel.Error) errors.push(text);
        else if (event.logLevel === LogLevel.Warn) warnings.push(text);
    };
    analyzer.onEvent(EventType.LogEvent, onLog('code-analyzer'));
    analyzer.onEvent(
        EventType.EngineLogEvent,
        (/** @type {import('@salesforce/code-analyzer-core').EngineLogEvent} */ event) =>
            onLog(event.engineName)(event)
    );
    for (const plugin of plugins) await analyzer.addEnginePlugin(plugin);

    const ws = await analyzer.createWorkspace(workspace);
    const selection = await analyzer.selectRules(selectors, { workspace: ws });
    const selected = selection
        .getEngineNames()
        .flatMap((engine) =>
            selection
                .getRulesFor(engine)
                .map((rule) => ({ engine, name: rule.getName(), severity: rule.getSeverityLevel() }))
        );
    if (selection.getCount() === 0) return { findings: [], errors, warnings, rules: selected };

    const results = await analyzer.run(selection, { workspace: ws });
    const findings = results.getViolations().map((violation) => {
        const rule = violation.getRule();
        const location = violation.getPrimaryLocation();
        return {
            engine: rule.getEngineName(),
            rule: rule.getName(),
            severity: rule.getSeverityLevel(),
            tags: rule.getTags(),
            file: location.getFile(),
            line: location.getStartLine() ?? 0,
            column: location.getStartColumn() ?? 0,
            message: violation.getMessage()
        };
    });
    return { findings, errors, warnings, rules: selected };
}

/** Code Analyzer's names for severity levels 1..5. */
export const SEVERITY_NAMES = ['', 'Critical', 'High', 'Moderate', 'Low', 'Info'];
