/**
 * The Salesforce Voice package shape (docs/voice-partner-telephony.md, "Packaging"): the ConversationVendorInfo
 * lives in voice-package/, a package that depends on ccphone, because it needs the Partner Telephony add-on
 * licence; its connector URL is the ccphone package's Visualforce connector page, which loads the
 * voiceConnector static resource; the contact center definition file names this vendor info.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { XMLParser } from 'fast-xml-parser';

const root = path.resolve(__dirname, '..', '..');
const vendorInfoPath = path.join(
    root,
    'voice-package/main/default/ConversationVendorInformation/ccphoneVoice.ConversationVendorInformation-meta.xml'
);

interface PackageDirectory {
    path: string;
    package?: string;
    definitionFile?: string;
    dependencies?: { package: string; versionNumber: string }[];
}

const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    namespace: string;
    packageDirectories: PackageDirectory[];
};

function vendorInfo(): Record<string, string> {
    const parser = new XMLParser({ parseTagValue: false });
    return parser.parse(readFileSync(vendorInfoPath, 'utf8')).ConversationVendorInfo as Record<
        string,
        string
    >;
}

describe('Salesforce Voice package (voice-package/)', () => {
    const voice = project.packageDirectories.find((entry) => entry.path === 'voice-package');

    it('is a package directory of its own that depends on ccphone, built in an org with Partner Telephony', () => {
        expect(voice?.package).toBe('ccphoneVoice');
        expect(voice?.dependencies?.map((d) => d.package)).toEqual(['ccphone']);
        const definition = JSON.parse(
            readFileSync(path.join(root, String(voice?.definitionFile)), 'utf8')
        ) as {
            features: string[];
        };
        expect(definition.features.some((f) => f.startsWith('ServiceCloudVoicePartnerTelephony'))).toBe(true);
    });

    it('holds the ConversationVendorInfo of a partner-telephony provider, named like its file', () => {
        const info = vendorInfo();
        expect(info.vendorType).toBe('ServiceCloudVoicePartner');
        expect(info.developerName).toBe('ccphoneVoice');
        expect(info.masterLabel.length).toBeGreaterThan(0);
    });

    it("points the connector URL at ccphone's Visualforce connector page, which loads the connector bundle", () => {
        const match = /^\/apex\/([A-Za-z0-9]+)__([A-Za-z0-9_]+)$/.exec(vendorInfo().connectorUrl);
        expect(match?.[1]).toBe(project.namespace);
        const page = path.join(root, 'force-app/main/default/pages', `${match?.[2]}.page`);
        expect(existsSync(page)).toBe(true);
        const source = readFileSync(page, 'utf8');
        expect(source).toContain('{!$Resource.voiceConnector}');
        expect(source).toContain('controller="VoiceConnectorController"');
        expect(
            existsSync(
                path.join(root, 'force-app/main/default/staticresources/voiceConnector.resource-meta.xml')
            )
        ).toBe(true);
    });

    it('calls only remote actions the controller has', () => {
        const page = readFileSync(
            path.join(root, 'force-app/main/default/pages/ccphoneVoiceConnector.page'),
            'utf8'
        );
        const controller = readFileSync(
            path.join(root, 'force-app/main/default/classes/controllers/VoiceConnectorController.cls'),
            'utf8'
        );
        const actions = [...page.matchAll(/\$RemoteAction\.VoiceConnectorController\.(\w+)/g)].map(
            (m) => m[1]
        );
        expect(actions.length).toBe(4);
        for (const action of actions) {
            expect(controller).toMatch(new RegExp(`@RemoteAction\\s+public static [\\w.<>]+ ${action}\\(`));
        }
    });

    it('keeps licence-gated types out of the ccphone package', () => {
        expect(existsSync(path.join(root, 'force-app/main/default/ConversationVendorInformation'))).toBe(
            false
        );
        expect(readFileSync(path.join(root, 'manifest/package.xml'), 'utf8')).not.toContain(
            '<name>ConversationVendorInfo</name>'
        );
    });

    it('is the vendor info the contact center definition file names', () => {
        const definition = readFileSync(
            path.join(root, 'voice-connector/contact-center/ccphoneVoice-contact-center.xml'),
            'utf8'
        );
        expect(definition).toContain(
            `name="reqVendorInfoApiName" label="Conversation Vendor Info Developer Name">${project.namespace}__ccphoneVoice<`
        );
    });
});
