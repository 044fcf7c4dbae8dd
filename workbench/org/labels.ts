/**
 * The Custom Labels the Apex reads through `System.Label` (English), from the package's own labels file,
 * and `String.format` for the ones with `{0}` placeholders.
 */
import { readLabels } from '../../scripts/lib/labels.mjs';

export type Labels = ReadonlyMap<string, string>;

/** The English labels of the package (force-app is the source). */
export async function loadLabels(root: string): Promise<Labels> {
    const labels = await readLabels(`${root}/force-app`);
    return new Map(
        [...labels.values()].map((label: { name: string; value: string }) => [label.name, label.value])
    );
}

/** `System.Label.<name>` formatted like Apex's `String.format(label, args)`; the name itself when unknown. */
export function label(labels: Labels, name: string, ...args: Array<string | number>): string {
    const text = labels.get(name) ?? name;
    return text.replace(/\{(\d+)\}/g, (match, index: string) => {
        const value = args[Number(index)];
        return value === undefined ? match : String(value);
    });
}
