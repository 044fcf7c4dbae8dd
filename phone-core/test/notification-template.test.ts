import { renderNotificationTemplate } from '../src/notification-template';

describe('renderNotificationTemplate (F15)', () => {
    const values = {
        name: 'Jan Kowalski',
        company: 'Acme',
        number: '600 700 800',
        campaign: 'Sales',
        queue: ''
    };

    it('fills call and CRM tokens, case-insensitive, spaces inside braces allowed', () => {
        expect(renderNotificationTemplate('{name} ({Company})\n{ NUMBER } · {campaign}', values)).toBe(
            'Jan Kowalski (Acme)\n600 700 800 · Sales'
        );
    });

    it('leaves nothing for unknown tokens and empty values, and drops lines left empty', () => {
        expect(renderNotificationTemplate('{name}\n{queue}\n{owner.email} {number}', values)).toBe(
            'Jan Kowalski\n600 700 800'
        );
    });

    it('renders caller data as given: plain text, never interpreted', () => {
        const hostile = '<img src=x onerror=alert(1)>';
        expect(renderNotificationTemplate('{name}', { name: hostile })).toBe(hostile);
        expect(renderNotificationTemplate('{name}', { name: '{number}', number: '1' })).toBe('{number}');
    });

    it('a blank template gives nothing (the phone uses its own text), a long one is cut', () => {
        expect(renderNotificationTemplate('  \n ', values)).toBe('');
        expect(renderNotificationTemplate('x'.repeat(900), values)).toHaveLength(500);
    });
});
