// Stage labels (F18): every label the code uses exists, every label has its nl_NL, pl, cs and ru
// translation, and every text keeps the glossary (scripts/lib/label-glossary.json): no rejected variant of a
// term, no button or status pill longer than the utility panel allows. References: LWC `@salesforce/label/c.X`, Apex `System.Label.X` / `Label.X`, Visualforce `$Label.X`.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    glossaryProblems,
    labelPaths,
    readGlossary,
    readLabels,
    readObjectTranslationTexts,
    readTranslation,
    TRANSLATION_LANGUAGES
} from '../lib/labels.mjs';
import { formatProblem, walkFiles } from './lib/metadata-files.mjs';

const REFERENCE_PATTERNS = [
    { ext: /\.(ts|js)$/, pattern: /@salesforce\/label\/(?:c|ccphone)\.([A-Za-z0-9_]+)/g },
    { ext: /\.(cls|trigger)$/, pattern: /\b(?:System\.)?Label\.([A-Za-z][A-Za-z0-9_]*)\b(?!\s*\()/g },
    { ext: /\.(page|component)$/, pattern: /\$Label\.(?:ccphone__)?([A-Za-z0-9_]+)/g }
];

export default {
    name: 'labels',
    description:
        'Custom Labels used by the code exist, are translated to nl_NL, pl, cs, ru and keep the glossary',
    async run({ root, sourceDir }) {
        const problems = [];
        const labels = await readLabels(sourceDir);
        const files = (await walkFiles(sourceDir, { skipDir: (name) => name === '__tests__' }))
            .filter((file) => REFERENCE_PATTERNS.some(({ ext }) => ext.test(file)))
            // the .js generated beside a .ts carries the same references
            .filter((file) => !(file.endsWith('.js') && existsSync(file.replace(/\.js$/, '.ts'))));
        for (const file of files) {
            const text = await fs.readFile(file, 'utf8');
            const lines = text.split('\n');
            for (const { ext, pattern } of REFERENCE_PATTERNS) {
                if (!ext.test(file)) continue;
                lines.forEach((line, index) => {
                    for (const match of line.matchAll(pattern)) {
                        if (!labels.has(match[1])) {
                            problems.push(
                                formatProblem(
                                    root,
                                    file,
                                    index + 1,
                                    `label ${match[1]} is not defined in CustomLabels`
                                )
                            );
                        }
                    }
                });
            }
        }
        const texts = new Map([['en_US', new Map([...labels].map(([name, label]) => [name, label.value]))]]);
        for (const language of TRANSLATION_LANGUAGES) {
            const { labels: translated } = await readTranslation(sourceDir, language);
            texts.set(language, translated);
            for (const [name, label] of labels) {
                const text = translated.get(name);
                if (!text || !text.trim()) {
                    problems.push(
                        formatProblem(
                            root,
                            labelPaths(sourceDir).translation(language),
                            0,
                            `label ${name} ("${label.value}") has no ${language} translation`
                        )
                    );
                }
            }
            for (const name of translated.keys()) {
                if (!labels.has(name)) problems.push(`${language}: translation of unknown label ${name}`);
            }
        }
        // the glossary's terms hold for the object translations too (length limits name labels only)
        for (const language of TRANSLATION_LANGUAGES) {
            for (const [name, text] of await readObjectTranslationTexts(sourceDir, language)) {
                texts.get(language).set(name, text);
            }
        }
        const glossaryFile = path.relative(
            root,
            fileURLToPath(new URL('../lib/label-glossary.json', import.meta.url))
        );
        for (const problem of glossaryProblems(await readGlossary(), texts)) {
            problems.push(`${glossaryFile}: ${problem}`);
        }
        return { problems };
    }
};
