// Custom Labels and their translations (F18: en_US + nl_NL, pl, cs, ru), read and written as metadata XML.
// The XML files stay the source of truth (what admins and the platform see); this module lets several
// authors add labels without hand-merging XML: `node scripts/labels.mjs merge labels.json`.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const TRANSLATION_LANGUAGES = ['nl_NL', 'pl', 'cs', 'ru'];

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://soap.sforce.com/2006/04/metadata';

export function labelPaths(sourceDir) {
    const base = path.join(sourceDir, 'main/default');
    return {
        labels: path.join(base, 'labels/CustomLabels.labels-meta.xml'),
        translation: (language) => path.join(base, 'translations', `${language}.translation-meta.xml`)
    };
}

const decode = (text) =>
    text
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
const encode = (text) =>
    String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function field(block, name) {
    const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
    return match ? decode(match[1]) : undefined;
}

async function readOptional(file) {
    try {
        return await fs.readFile(file, 'utf8');
    } catch (error) {
        if (error.code === 'ENOENT') return null;
        throw error;
    }
}

/** Map of label name -> { name, value, shortDescription, categories, protected, language }. */
export async function readLabels(sourceDir) {
    const xml = await readOptional(labelPaths(sourceDir).labels);
    const labels = new Map();
    if (!xml) return labels;
    for (const match of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
        const block = match[1];
        const name = field(block, 'fullName');
        labels.set(name, {
            name,
            value: field(block, 'value') ?? '',
            shortDescription: field(block, 'shortDescription') ?? name,
            categories: field(block, 'categories'),
            protected: field(block, 'protected') === 'true',
            language: field(block, 'language') ?? 'en_US'
        });
    }
    return labels;
}

/** { raw, labels: Map(name -> translated text) } for one language; raw keeps what is not a label. */
export async function readTranslation(sourceDir, language) {
    const xml = await readOptional(labelPaths(sourceDir).translation(language));
    const labels = new Map();
    if (!xml) return { raw: null, labels };
    for (const match of xml.matchAll(/<customLabels>([\s\S]*?)<\/customLabels>/g)) {
        labels.set(field(match[1], 'name'), field(match[1], 'label') ?? '');
    }
    return { raw: xml, labels };
}

function renderLabels(labels) {
    const blocks = [...labels.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((label) =>
            [
                '    <labels>',
                `        <fullName>${encode(label.name)}</fullName>`,
                label.categories ? `        <categories>${encode(label.categories)}</categories>` : null,
                `        <language>${encode(label.language || 'en_US')}</language>`,
                `        <protected>${label.protected ? 'true' : 'false'}</protected>`,
                `        <shortDescription>${encode(label.shortDescription || label.name)}</shortDescription>`,
                `        <value>${encode(label.value)}</value>`,
                '    </labels>'
            ]
                .filter((line) => line !== null)
                .join('\n')
        );
    return `${XML_HEAD}<CustomLabels xmlns="${NS}">\n${blocks.join('\n')}\n</CustomLabels>\n`;
}

function renderTranslation(raw, labels) {
    const labelBlocks = [...labels.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
            ([name, text]) =>
                `    <customLabels>\n        <label>${encode(text)}</label>\n        <name>${encode(name)}</name>\n    </customLabels>`
        );
    // keep every other kind of translation (apps, tabs...) exactly as it was, each kind in the schema's
    // (alphabetical) place around the labels: customApplications first
    const body = raw?.match(/<Translations[^>]*>([\s\S]*)<\/Translations>/)?.[1] ?? '';
    const others = [
        ...body.replace(/<customLabels>[\s\S]*?<\/customLabels>/g, '').matchAll(/<(\w+)>[\s\S]*?<\/\1>/g)
    ].map((match) => ({ kind: match[1], text: `    ${match[0]}` }));
    const before = others.filter(({ kind }) => kind < 'customLabels').map(({ text }) => text);
    const after = others.filter(({ kind }) => kind > 'customLabels').map(({ text }) => text);
    return `${XML_HEAD}<Translations xmlns="${NS}">\n${[...before, ...labelBlocks, ...after].join('\n')}\n</Translations>\n`;
}

/**
 * Adds or updates labels: entries `{ name, value, shortDescription?, categories?, translations: { nl_NL, pl, cs, ru } }`.
 * Every entry must carry all four translations.
 */
export async function mergeLabels(sourceDir, entries) {
    const problems = [];
    for (const entry of entries) {
        if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(entry.name ?? '') || /__|_$/.test(entry.name)) {
            problems.push(`${entry.name}: not a valid label name`);
        }
        if (!entry.value) problems.push(`${entry.name}: empty value`);
        for (const language of TRANSLATION_LANGUAGES) {
            if (!entry.translations?.[language])
                problems.push(`${entry.name}: missing ${language} translation`);
        }
    }
    if (problems.length > 0) throw new Error(`labels not merged:\n${problems.join('\n')}`);

    const paths = labelPaths(sourceDir);
    const labels = await readLabels(sourceDir);
    for (const entry of entries) {
        const previous = labels.get(entry.name);
        labels.set(entry.name, {
            name: entry.name,
            value: entry.value,
            shortDescription: (entry.shortDescription ?? previous?.shortDescription ?? entry.name).slice(
                0,
                80
            ),
            categories: entry.categories ?? previous?.categories ?? 'ccphone',
            protected: false,
            language: 'en_US'
        });
    }
    await writeAtomically(paths.labels, renderLabels(labels));
    for (const language of TRANSLATION_LANGUAGES) {
        const { raw, labels: translated } = await readTranslation(sourceDir, language);
        for (const entry of entries) translated.set(entry.name, entry.translations[language]);
        await writeAtomically(paths.translation(language), renderTranslation(raw, translated));
    }
    return labels.size;
}

/** Removes labels (a label no code uses any more) from CustomLabels and from every translation. */
export async function removeLabels(sourceDir, names) {
    const paths = labelPaths(sourceDir);
    const labels = await readLabels(sourceDir);
    const unknown = names.filter((name) => !labels.has(name));
    if (unknown.length > 0) throw new Error(`labels not removed: unknown ${unknown.join(', ')}`);
    for (const name of names) labels.delete(name);
    await writeAtomically(paths.labels, renderLabels(labels));
    for (const language of TRANSLATION_LANGUAGES) {
        const { raw, labels: translated } = await readTranslation(sourceDir, language);
        for (const name of names) translated.delete(name);
        await writeAtomically(paths.translation(language), renderTranslation(raw, translated));
    }
    return labels.size;
}

async function writeAtomically(file, content) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
}

/**
 * The texts of the object translations of one language (field labels, help, picklist values, object names),
 * keyed `objectTranslations/<Object>-<lang>/<file>#<n>` so the glossary's terms apply to them too.
 */
export async function readObjectTranslationTexts(sourceDir, language) {
    const dir = path.join(sourceDir, 'main/default/objectTranslations');
    const texts = new Map();
    let objects;
    try {
        objects = (await fs.readdir(dir)).filter((name) => name.endsWith(`-${language}`));
    } catch (error) {
        if (error.code === 'ENOENT') return texts;
        throw error;
    }
    for (const object of objects) {
        for (const file of await fs.readdir(path.join(dir, object))) {
            const xml = await fs.readFile(path.join(dir, object, file), 'utf8');
            const values = [...xml.matchAll(/<(label|help|translation|value|nameFieldLabel)>([^<]*)<\/\1>/g)];
            values.forEach((match, index) =>
                texts.set(`objectTranslations/${object}/${file}#${index}`, decode(match[2]))
            );
        }
    }
    return texts;
}

/** The project's label glossary (scripts/lib/label-glossary.json): terms per language and length limits. */
export async function readGlossary() {
    return JSON.parse(await fs.readFile(new URL('./label-glossary.json', import.meta.url), 'utf8'));
}

/** Length as the agent sees it: characters (not UTF-16 units), placeholders `{n}` not counted. */
export const visibleLength = (text) => [...text.replace(/\{\d+\}/g, '')].length;

/**
 * What breaks the glossary: a label (English or translated) using a rejected variant of a term, or longer
 * than its kind allows. `texts`: Map language -> Map label name -> text, English as `en_US`.
 * @returns {string[]} one message per fault, naming the language, the label, the text and the rule
 */
export function glossaryProblems(glossary, texts) {
    const problems = [];
    for (const { kind, max, labels } of glossary.lengthLimits ?? []) {
        for (const [language, byName] of texts) {
            for (const name of labels) {
                const text = byName.get(name);
                if (text !== undefined && visibleLength(text) > max) {
                    problems.push(
                        `${language} ${name} "${text}" is ${visibleLength(text)} characters, longer than a ${kind} may be (${max})`
                    );
                }
            }
        }
    }
    for (const [language, byName] of texts) {
        const terms = [...(glossary.terms?.['*'] ?? []), ...(glossary.terms?.[language] ?? [])];
        for (const term of terms) {
            const scope = term.scope ? new RegExp(term.scope) : null;
            const rejects = term.reject.map(
                (source) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'iu')
            );
            for (const [name, text] of byName) {
                if (scope && !scope.test(name)) continue;
                const found = rejects.map((reject) => reject.exec(text)?.[0]).find(Boolean);
                if (found) {
                    problems.push(
                        `${language} ${name} "${text}" uses "${found}", rejected for ${term.concept}: use ${term.use}`
                    );
                }
            }
        }
    }
    return problems;
}
