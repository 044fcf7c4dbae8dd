// Rollup plugin: the `@salesforce/*` modules the package's components import, provided the way the platform
// would, from the package's own metadata. Every import is checked at build time, like a deploy would:
//   @salesforce/label/c.Name           the Custom Label in the user's language (wb/language: the page's
//                                       configuration; unknown label: build error)
//   @salesforce/apex/Class.method      an @AuraEnabled method of a class in force-app (else: build error) that
//                                       the workbench's local org implements (else: build error); a function
//                                       returning a promise, usable with @wire too (callable adapter)
//   @salesforce/resourceUrl/Name       the URL the workbench serves the static resource under
//   @salesforce/messageChannel/Name__c one token per channel (the in-page Lightning Message Service keys on it)
//   @salesforce/user/Id                the workbench user's id (the page's configuration)
//   @salesforce/i18n/*                 the values the base components use (lightning-base-components' own,
//                                       which it does not expose to other namespaces)
// plus the workbench's generated modules (`wb/appConfig`, `wb/packageComponents`). Anything else under
// `@salesforce/` that the base components do not map themselves is left unresolved, which fails the build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { auraMethods, hasMessageChannel, hasStaticResource, packageLabels } from './package-metadata.mjs';

const PREFIX = '\0wb-platform:';
const baseComponentsDir = path.dirname(
    createRequire(import.meta.url).resolve('lightning-base-components/package.json')
);

/**
 * @param {{ root: string, apexImplemented: ReadonlySet<string>, generated: Map<string, string> }} options
 *   `apexImplemented`: `Class.method` names the local org implements; `generated`: specifier -> module code
 */
export default function platformModules({ root, apexImplemented, generated }) {
    let labels;
    const used = { labels: new Set(), apex: new Set(), resources: new Set(), channels: new Set() };

    return {
        name: 'workbench-platform-modules',
        async buildStart() {
            labels = await packageLabels(root);
        },
        resolveId(source) {
            if (generated.has(source)) return `${PREFIX}generated:${source}`;
            if (/^@salesforce\/label\/c\./.test(source)) return `${PREFIX}${source}`;
            if (/^@salesforce\/(apex|resourceUrl|messageChannel)\//.test(source)) return `${PREFIX}${source}`;
            if (source === '@salesforce/user/Id') return `${PREFIX}${source}`;
            if (source.startsWith('@salesforce/i18n/')) {
                const file = path.join(
                    baseComponentsDir,
                    'scopedImports',
                    `${source.replace(/\//g, '-')}.js`
                );
                if (!existsSync(file)) this.error(`Unknown i18n module ${source}`);
                return file;
            }
            return null;
        },
        async load(id) {
            if (!id.startsWith(PREFIX)) return null;
            const source = id.slice(PREFIX.length);
            if (source.startsWith('generated:')) return generated.get(source.slice('generated:'.length));
            const [, kind, rest] = /^@salesforce\/(\w+)\/(.*)$/.exec(source) ?? [];
            switch (kind) {
                case 'label': {
                    const name = rest.slice(2);
                    if (!labels.has(name)) this.error(`Custom Label "${name}" does not exist (${source})`);
                    used.labels.add(name);
                    // every language in the bundle; the page's language picks one when the module loads
                    return (
                        `import { labelInUserLanguage } from 'wb/language';\n` +
                        `export default labelInUserLanguage(${JSON.stringify(labels.get(name))});`
                    );
                }
                case 'apex': {
                    const [className, method, ...extra] = rest.split('.');
                    if (!className || !method || extra.length > 0)
                        this.error(`Malformed Apex import ${source}`);
                    const methods = await auraMethods(root, className);
                    if (!methods)
                        this.error(`Apex class ${className} does not exist in force-app (${source})`);
                    if (!methods.has(method)) {
                        this.error(
                            `${className}.${method} is not an @AuraEnabled method of ${className} (${source})`
                        );
                    }
                    if (!apexImplemented.has(`${className}.${method}`)) {
                        this.error(
                            `${className}.${method} is used by a component but the workbench's local org does not ` +
                                `implement it: add it to workbench/org/apex (see workbench/README.md)`
                        );
                    }
                    used.apex.add(`${className}.${method}`);
                    const cacheable = methods.get(method).cacheable;
                    return (
                        `import { apexMethod } from 'wb/orgClient';\n` +
                        `export default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(method)}, ${cacheable});`
                    );
                }
                case 'resourceUrl': {
                    if (!hasStaticResource(root, rest))
                        this.error(`Static resource "${rest}" does not exist (${source})`);
                    used.resources.add(rest);
                    return `export default ${JSON.stringify(`/resource/${rest}`)};`;
                }
                case 'messageChannel': {
                    if (!hasMessageChannel(root, rest))
                        this.error(`Message channel "${rest}" does not exist (${source})`);
                    used.channels.add(rest);
                    return (
                        `import { messageChannel } from 'wb/messageBus';\n` +
                        `export default messageChannel(${JSON.stringify(rest)});`
                    );
                }
                case 'user':
                    return `import { workbenchConfig } from 'wb/config';\nexport default workbenchConfig().userId;`;
                default:
                    this.error(`Unsupported platform module ${source}`);
            }
            return null;
        },
        /** What the bundle imports from the platform (printed by the build). */
        get used() {
            return used;
        }
    };
}
