// What the workbench needs to know about the package, read from its source metadata (never duplicated):
// the LWC bundles, the Custom Labels (English), the @AuraEnabled Apex methods, static resources, message
// channels, the app (label, tabs, header colour) and its utility bar (items, sizes, eager), and the setup tab.
import { existsSync, promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readLabels, readTranslation, TRANSLATION_LANGUAGES } from '../../scripts/lib/labels.mjs';

/** Paths of the package's source tree. */
export function packagePaths(root) {
    const base = path.join(root, 'force-app/main/default');
    return {
        source: path.join(root, 'force-app'),
        lwc: path.join(base, 'lwc'),
        classes: path.join(base, 'classes'),
        staticResources: path.join(base, 'staticresources'),
        messageChannels: path.join(base, 'messageChannels'),
        applications: path.join(base, 'applications'),
        flexipages: path.join(base, 'flexipages'),
        tabs: path.join(base, 'tabs')
    };
}

function tag(block, name) {
    const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
    return match ? match[1].trim() : undefined;
}

function tags(block, name) {
    return [...block.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1].trim());
}

function filesEndingWith(dir, suffix) {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((name) => name.endsWith(suffix))
        .sort()
        .map((name) => path.join(dir, name));
}

/**
 * The LWC bundles: name, entry `.js` (what `npm run build` writes; the workbench compiles the deployable
 * JavaScript, not the TypeScript), and whether the `.js` is missing or older than a `.ts` of the bundle.
 */
export function lwcBundles(root) {
    const { lwc } = packagePaths(root);
    if (!existsSync(lwc)) return [];
    const bundles = [];
    for (const name of readdirSync(lwc).sort()) {
        const dir = path.join(lwc, name);
        const meta = path.join(dir, `${name}.js-meta.xml`);
        if (!existsSync(meta)) continue;
        const entry = path.join(dir, `${name}.js`);
        let stale = !existsSync(entry);
        for (const file of readdirSync(dir)) {
            if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
            const js = path.join(dir, file.replace(/\.ts$/, '.js'));
            if (!existsSync(js) || mtime(js) < mtime(path.join(dir, file))) stale = true;
        }
        const metaXml = readFileSync(meta, 'utf8');
        bundles.push({
            name,
            dir,
            entry,
            stale,
            targets: tags(metaXml, 'target'),
            masterLabel: tag(metaXml, 'masterLabel')
        });
    }
    return bundles;
}

function mtime(file) {
    return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/**
 * Custom Labels in every language of the package: Map of name -> { en_US, nl_NL, pl, cs, ru } (a language
 * without a translation is left out: the label reads in English there, as on the platform).
 */
export async function packageLabels(root) {
    const source = packagePaths(root).source;
    const labels = new Map(
        [...(await readLabels(source)).values()].map((label) => [label.name, { en_US: label.value }])
    );
    for (const language of TRANSLATION_LANGUAGES) {
        const { labels: translated } = await readTranslation(source, language);
        for (const [name, text] of translated)
            if (labels.has(name) && text) labels.get(name)[language] = text;
    }
    return labels;
}

const AURA_METHOD =
    /@AuraEnabled\s*(\(([^)]*)\))?\s*(?:public|global)\s+static\s+[\w.<>,\s]+?\s+(\w+)\s*\(/gi;

/** `@AuraEnabled` methods of one Apex class (null when the class does not exist): name -> { cacheable }. */
export async function auraMethods(root, className) {
    if (!/^\w+$/.test(className)) return null;
    const file = await findClassFile(packagePaths(root).classes, `${className}.cls`);
    if (!file) return null;
    const source = await fs.readFile(file, 'utf8');
    const methods = new Map();
    for (const match of source.matchAll(AURA_METHOD)) {
        methods.set(match[3], { cacheable: /cacheable\s*=\s*true/i.test(match[2] ?? '') });
    }
    return methods;
}

async function findClassFile(dir, fileName) {
    if (!existsSync(dir)) return null;
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            const found = await findClassFile(full, fileName);
            if (found) return found;
        } else if (entry.name === fileName) {
            return full;
        }
    }
    return null;
}

/** True when the package has a static resource of this name. */
export function hasStaticResource(root, name) {
    return existsSync(path.join(packagePaths(root).staticResources, `${name}.resource-meta.xml`));
}

/** The file of a static resource (its content), or null. */
export function staticResourceFile(root, name) {
    const dir = packagePaths(root).staticResources;
    if (!/^\w+$/.test(name) || !hasStaticResource(root, name)) return null;
    const file = filesEndingWith(dir, '')
        .filter((candidate) => path.basename(candidate).startsWith(`${name}.`))
        .find((candidate) => !candidate.endsWith('.resource-meta.xml'));
    return file ?? null;
}

/** True when the package defines the message channel `Name__c`. */
export function hasMessageChannel(root, channel) {
    const name = channel.replace(/__c$/, '');
    return existsSync(path.join(packagePaths(root).messageChannels, `${name}.messageChannel-meta.xml`));
}

function titleOf(componentName) {
    const name = componentName.split(':').pop() ?? componentName;
    return name.charAt(0).toUpperCase() + name.slice(1).replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** One utility bar item of the app's utility bar flexipage. */
function utilityItem(block) {
    const properties = {};
    for (const property of tags(block, 'componentInstanceProperties')) {
        properties[tag(property, 'name')] = tag(property, 'value');
    }
    const componentName = tag(block, 'componentName') ?? '';
    return {
        id: tag(block, 'identifier') ?? componentName,
        componentName,
        // a platform utility without a label (console:history) is shown by its name, as the utility bar does
        label: properties.label ?? titleOf(componentName),
        icon: properties.icon ?? 'apps',
        width: Number(properties.width) || 340,
        height: Number(properties.height) || 480,
        eager: properties.eager === 'true',
        scrollable: properties.scrollable !== 'false'
    };
}

/**
 * The Lightning app the workbench imitates: its label, navigation tabs, brand colour and utility bar items
 * (from the app's utility bar flexipage). The first app with a utility bar wins.
 */
export function lightningApp(root) {
    const { applications, flexipages } = packagePaths(root);
    for (const file of filesEndingWith(applications, '.app-meta.xml')) {
        const xml = readFileSync(file, 'utf8');
        const utilityBar = tag(xml, 'utilityBar');
        if (!utilityBar) continue;
        const flexipage = path.join(flexipages, `${utilityBar}.flexipage-meta.xml`);
        const items = existsSync(flexipage)
            ? tags(readFileSync(flexipage, 'utf8'), 'componentInstance').map(utilityItem)
            : [];
        return {
            name: path.basename(file, '.app-meta.xml'),
            label: tag(xml, 'label') ?? 'App',
            headerColor: tag(tag(xml, 'brand') ?? '', 'headerColor') ?? '#0176d3',
            navType: tag(xml, 'navType') ?? 'Standard',
            tabs: tags(xml, 'tabs'),
            utilityItems: items
        };
    }
    return {
        name: 'Workbench',
        label: 'Workbench',
        headerColor: '#0176d3',
        navType: 'Standard',
        tabs: [],
        utilityItems: []
    };
}

/**
 * The package's setup tab component, when there is one: the LWC named by a custom tab (`<lwcComponent>`),
 * else a component named `phoneSetup`, else the first one targeting `lightning__Tab`. Null when none exists
 * yet (the workbench shows a placeholder).
 */
export function setupTabComponent(root, bundles = lwcBundles(root)) {
    const names = new Set(bundles.map((bundle) => bundle.name));
    for (const file of filesEndingWith(packagePaths(root).tabs, '.tab-meta.xml')) {
        const xml = readFileSync(file, 'utf8');
        const component = tag(xml, 'lwcComponent');
        if (component && names.has(component))
            return { name: component, label: tag(xml, 'label') ?? component };
    }
    const byName = bundles.find((bundle) => bundle.name === 'phoneSetup');
    const byTarget = bundles.find((bundle) => bundle.targets.includes('lightning__Tab'));
    const found = byName ?? byTarget;
    return found ? { name: found.name, label: found.masterLabel ?? found.name } : null;
}
