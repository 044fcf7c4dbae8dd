/**
 * The Custom Labels the Apex reads through `System.Label`, from the package's own labels file and its
 * translations, and `String.format` for the ones with `{0}` placeholders. Like the platform, a label
 * without a translation in a language reads in English.
 */
import { readLabels, readTranslation, TRANSLATION_LANGUAGES } from '../../scripts/lib/labels.mjs';

export type Labels = ReadonlyMap<string, string>;

/** The languages the package is translated to, English (the labels' own language) first. */
export const LANGUAGES: readonly string[] = ['en_US', ...TRANSLATION_LANGUAGES];

/** The package's labels in every language: language -> (label name -> text). */
export type PackageLabels = ReadonlyMap<string, Labels>;

/** Reads the package's labels and translations (force-app is the source). */
export async function loadLabels(root: string): Promise<PackageLabels> {
    const labels = await readLabels(`${root}/force-app`);
    const english = new Map(
        [...labels.values()].map((label: { name: string; value: string }) => [label.name, label.value])
    );
    const all = new Map<string, Labels>([['en_US', english]]);
    for (const language of TRANSLATION_LANGUAGES) {
        const { labels: translated } = (await readTranslation(`${root}/force-app`, language)) as {
            labels: Map<string, string>;
        };
        all.set(language, new Map([...english].map(([name, text]) => [name, translated.get(name) || text])));
    }
    return all;
}

/** A language key the package is translated to, or an error naming the ones it is. */
export function checkLanguage(language: string): string {
    if (!LANGUAGES.includes(language)) {
        throw new Error(`Unknown language ${language} (the package's languages: ${LANGUAGES.join(', ')})`);
    }
    return language;
}

/** `System.Label.<name>` formatted like Apex's `String.format(label, args)`; the name itself when unknown. */
export function label(labels: Labels, name: string, ...args: Array<string | number>): string {
    const text = labels.get(name) ?? name;
    return text.replace(/\{(\d+)\}/g, (match, index: string) => {
        const value = args[Number(index)];
        return value === undefined ? match : String(value);
    });
}

/**
 * The standard objects' labels as Salesforce shows them in each language (the org's own names: what
 * `getObjectInfos` answers; an admin may rename them in Setup > Rename Tabs and Labels).
 */
export const OBJECT_LABELS: Readonly<Record<string, Readonly<Record<string, [string, string]>>>> = {
    en_US: {
        Account: ['Account', 'Accounts'],
        Contact: ['Contact', 'Contacts'],
        Lead: ['Lead', 'Leads'],
        Case: ['Case', 'Cases'],
        PersonAccount: ['Person Account', 'Person Accounts']
    },
    nl_NL: {
        Account: ['Account', 'Accounts'],
        Contact: ['Contactpersoon', 'Contactpersonen'],
        Lead: ['Lead', 'Leads'],
        Case: ['Case', 'Cases'],
        PersonAccount: ['Persoonsaccount', 'Persoonsaccounts']
    },
    pl: {
        Account: ['Konto', 'Konta'],
        Contact: ['Kontakt', 'Kontakty'],
        Lead: ['Potencjalny klient', 'Potencjalni klienci'],
        Case: ['Zgłoszenie', 'Zgłoszenia'],
        PersonAccount: ['Konto osoby', 'Konta osób']
    },
    cs: {
        Account: ['Účet', 'Účty'],
        Contact: ['Kontakt', 'Kontakty'],
        Lead: ['Zájemce', 'Zájemci'],
        Case: ['Případ', 'Případy'],
        PersonAccount: ['Osobní účet', 'Osobní účty']
    },
    ru: {
        Account: ['Организация', 'Организации'],
        Contact: ['Контакт', 'Контакты'],
        Lead: ['Интерес', 'Интересы'],
        Case: ['Обращение', 'Обращения'],
        PersonAccount: ['Персональный аккаунт', 'Персональные аккаунты']
    }
};
