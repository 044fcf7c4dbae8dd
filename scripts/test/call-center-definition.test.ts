/**
 * The Open CTI call center ships as a definition file that an admin imports (Setup > Call Centers > Import),
 * not as CallCenter metadata in the package (docs/ARCHITECTURE.md, "Platform facts checked"). These tests hold
 * config/call-center/ccphoneOpenCti.xml to the documented format ("Required Call Center Elements and
 * Attributes", Open CTI Developer Guide) and to the package it points at.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { XMLParser } from 'fast-xml-parser';

const root = path.resolve(__dirname, '..', '..');
const definitionPath = path.join(root, 'config/call-center/ccphoneOpenCti.xml');

interface Item {
    '@_sortOrder': string;
    '@_name': string;
    '@_label': string;
    '#text': string | number | boolean;
}

function readDefinition(): { sections: { '@_name': string; '@_sortOrder': string; item: Item[] }[] } {
    const parser = new XMLParser({
        ignoreAttributes: false,
        parseTagValue: false,
        isArray: (name) => name === 'section' || name === 'item'
    });
    const document = parser.parse(readFileSync(definitionPath, 'utf8'));
    return { sections: document.callCenter.section };
}

function itemsByName(): Map<string, Item> {
    const [general] = readDefinition().sections;
    return new Map(general.item.map((item) => [item['@_name'], item]));
}

describe('call center definition file (config/call-center/ccphoneOpenCti.xml)', () => {
    it('has one reqGeneralInfo section first', () => {
        const { sections } = readDefinition();
        expect(sections.map((s) => [s['@_name'], s['@_sortOrder']])).toEqual([['reqGeneralInfo', '0']]);
    });

    it('holds every required item, internal and display name at their fixed sort orders', () => {
        const items = itemsByName();
        for (const name of [
            'reqInternalName',
            'reqDisplayName',
            'reqAdapterUrl',
            'reqUseApi',
            'reqSoftphoneHeight',
            'reqSoftphoneWidth'
        ]) {
            expect(items.has(name)).toBe(true);
        }
        expect(items.get('reqInternalName')?.['@_sortOrder']).toBe('0');
        expect(items.get('reqDisplayName')?.['@_sortOrder']).toBe('1');
        const orders = [...items.values()].map((item) => Number(item['@_sortOrder']));
        expect(new Set(orders).size).toBe(orders.length);
    });

    it('names itself with at most 40 letters and digits, starting with a letter', () => {
        expect(String(itemsByName().get('reqInternalName')?.['#text'])).toMatch(
            /^[A-Za-z][A-Za-z0-9]{0,39}$/
        );
    });

    it('uses Open CTI in Lightning Experience with a positive softphone size', () => {
        const items = itemsByName();
        expect(String(items.get('reqUseApi')?.['#text'])).toBe('true');
        expect(['Lightning', 'Classic_and_Lightning']).toContain(
            String(items.get('reqSalesforceCompatibilityMode')?.['#text'])
        );
        for (const name of ['reqSoftphoneHeight', 'reqSoftphoneWidth']) {
            expect(String(items.get(name)?.['#text'])).toMatch(/^[1-9][0-9]*$/);
        }
    });

    it("points at the package's Visualforce bridge page in the package namespace", () => {
        const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8'));
        const url = String(itemsByName().get('reqAdapterUrl')?.['#text']);
        const match = /^\/apex\/([A-Za-z0-9]+)__([A-Za-z0-9_]+)$/.exec(url);
        expect(match).not.toBeNull();
        expect(match?.[1]).toBe(project.namespace);
        expect(existsSync(path.join(root, 'force-app/main/default/pages', `${match?.[2]}.page`))).toBe(true);
    });

    it('is not also shipped as CallCenter metadata inside the package', () => {
        expect(existsSync(path.join(root, 'force-app/main/default/callCenters'))).toBe(false);
        expect(readFileSync(path.join(root, 'manifest/package.xml'), 'utf8')).not.toContain(
            '<name>CallCenter</name>'
        );
    });
});
