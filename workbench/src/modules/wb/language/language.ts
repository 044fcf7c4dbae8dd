/**
 * The user's language in the workbench: the Custom Labels the components import read in it (the bundle
 * carries every language; the server writes the user's language into the page's configuration), and the
 * page's language switch changes it as the user's personal settings would, then reloads the page.
 */
import { workbenchConfig } from 'wb/config';
import { orgPost } from 'wb/orgClient';

/** The package's languages, with their names as the language switch shows them. */
export const LANGUAGES: ReadonlyArray<{ value: string; label: string }> = [
    { value: 'en_US', label: 'English' },
    { value: 'nl_NL', label: 'Nederlands' },
    { value: 'pl', label: 'Polski' },
    { value: 'cs', label: 'Čeština' },
    { value: 'ru', label: 'Русский' }
];

/** One Custom Label in the user's language; English (its own text) where it has no translation. */
export function labelInUserLanguage(texts: Readonly<Record<string, string>>): string {
    return texts[workbenchConfig().language] ?? texts.en_US ?? '';
}

/** Switches the user's language and reloads the page (labels are read once, when the modules load). */
export async function switchUserLanguage(language: string): Promise<void> {
    await orgPost('/user-language', { language });
    window.location.reload();
}
