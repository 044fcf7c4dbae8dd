// The apex-semantic stage's own pieces: the lowering (lines kept, columns mapped back, output parses) and the
// reading of apexlink's report. The stage end to end is proven by validate-fixtures (apex-semantic-*).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseApex } from '../validate/apex-syntax.mjs';
import { lowerApex } from '../validate/lib/apex-lowering.mjs';
import { parseReport } from '../validate/lib/apexlink.mjs';

const SOURCE = `public with sharing class Sample {
    public static String pick(String first, String second) {
        String value = first ?? second; // trailing comment
        String nested = (first
            // a comment inside the left operand
            ?? second) ?? 'none';
        List<Account> rows = [SELECT Id FROM Account WITH USER_MODE LIMIT 1];
        Integer all = [SELECT COUNT() FROM Account WITH SYSTEM_MODE];
        Account created = new Schema.Account(Name = value ?? 'x');
        insert as user created;
        return value.left(3) + nested + rows.size() + all;
    }
}`;

/** 1-based line and 0-based column of the n-th occurrence of `needle` in `text`. */
function positionOf(text, needle, occurrence = 1) {
    let index = -1;
    for (let i = 0; i < occurrence; i++) index = text.indexOf(needle, index + 1);
    assert.notEqual(index, -1, `${needle} not found`);
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    return { line, column: index - (before.lastIndexOf('\n') + 1) };
}

describe('lowerApex', () => {
    const lowered = lowerApex(SOURCE, false);
    const lines = lowered.text.split('\n');

    test('keeps every line where it was and the result parses', () => {
        assert.equal(lowered.parsed, true);
        assert.equal(lowered.changed, true);
        assert.equal(lines.length, SOURCE.split('\n').length);
        assert.deepEqual(parseApex(lowered.text, false), []);
        assert.match(lines[4], /a comment inside the left operand/);
    });

    test('blanks WITH USER_MODE / WITH SYSTEM_MODE, as user and Schema. after new, keeping columns', () => {
        assert.equal(
            lines[6],
            '        List<Account> rows = [SELECT Id FROM Account                LIMIT 1];'
        );
        assert.equal(lines[6].length, SOURCE.split('\n')[6].length);
        assert.equal(lines[7], '        Integer all = [SELECT COUNT() FROM Account                 ];');
        assert.match(lines[8], /= new {8}Account\(Name = \(value != null \? value : 'x'\)\);$/);
        assert.equal(lines[9], '        insert         created;');
    });

    test('rewrites a ?? b as a conditional, the copy of a on the line of the ??', () => {
        assert.equal(
            lines[2],
            '        String value = (first != null ? first : second); // trailing comment'
        );
        // nested, with the left operand spanning lines and holding a comment: the copy has no comment
        assert.equal(
            lines[5],
            "            != null ? first : second)) != null ? ( (first != null ? first : second) ) : 'none');"
        );
    });

    test('maps positions after an inserted text back to the original column', () => {
        for (const needle of ['// trailing comment', "'none'", '.left(3)', 'created;']) {
            const original = positionOf(SOURCE, needle);
            const inLowered = positionOf(lowered.text, needle);
            assert.deepEqual(lowered.toOriginal(inLowered.line, inLowered.column), original, needle);
        }
        // inserted text maps to where it was inserted: the copy of `first` to the `??`
        const copy = positionOf(lowered.text, '? first :');
        assert.deepEqual(lowered.toOriginal(copy.line, copy.column + 2), positionOf(SOURCE, '?? second;'));
    });

    test('leaves a file that does not parse as it is (apex-syntax reports it)', () => {
        const broken = 'public class Broken { String a = b ?? ; }';
        const result = lowerApex(broken, false);
        assert.equal(result.parsed, false);
        assert.equal(result.text, broken);
    });

    test('leaves a file without newer syntax unchanged', () => {
        const plain = 'public class Plain {\n    Integer one() { return 1; }\n}';
        const result = lowerApex(plain, false);
        assert.equal(result.changed, false);
        assert.equal(result.text, plain);
        assert.deepEqual(result.toOriginal(2, 4), { line: 2, column: 4 });
    });

    test('points System.Label.get and Label.translationExists at the Label stub, mapping columns back', () => {
        const source =
            "public class L {\n    String a = System.Label.get('', 'X', 'pl') + Label.translationExists('', 'X', 'pl');\n}";
        const result = lowerApex(source, false);
        const line = result.text.split('\n')[1];
        assert.equal(
            line,
            "    String a = ApexlinkStub_Label.get('', 'X', 'pl') + ApexlinkStub_Label.translationExists('', 'X', 'pl');"
        );
        const after = line.indexOf('+ ApexlinkStub_Label');
        assert.deepEqual(result.toOriginal(2, after), {
            line: 2,
            column: source.split('\n')[1].indexOf('+ Label')
        });
        // Label.X (a label of the org) stays as it is
        assert.equal(lowerApex('public class M { String t = Label.Phone_Title; }', false).changed, false);
    });

    test('lowers triggers too', () => {
        const trigger =
            "trigger T on Account (before insert) {\n    String n = Trigger.new[0].Name ?? 'x';\n}";
        const result = lowerApex(trigger, true);
        assert.equal(result.parsed, true);
        assert.equal(
            result.text.split('\n')[1],
            "    String n = (Trigger.new[0].Name != null ? Trigger . new [ 0 ] . Name : 'x');"
        );
    });
});

describe('parseReport', () => {
    test('reads the three position forms and the file lines', () => {
        const report = [
            '/tmp/p/force-app/main/default/classes/A.cls',
            "Error: line 58 at 31-52: No matching method found for 'matcher' on 'System.String' taking arguments 'System.String'",
            "Syntax: line 51 at 46: extraneous input '?' expecting ';'",
            '/tmp/p/force-app/main/default/classes/B.cls',
            "Missing: line 62:30 to 65:9: No type declaration found for 'PhoneKeyBackfillBatch'"
        ].join('\n');
        assert.deepEqual(parseReport(report), [
            {
                file: '/tmp/p/force-app/main/default/classes/A.cls',
                line: 58,
                column: 31,
                endLine: 58,
                endColumn: 52,
                category: 'Error',
                message:
                    "No matching method found for 'matcher' on 'System.String' taking arguments 'System.String'"
            },
            {
                file: '/tmp/p/force-app/main/default/classes/A.cls',
                line: 51,
                column: 46,
                endLine: 51,
                endColumn: 46,
                category: 'Syntax',
                message: "extraneous input '?' expecting ';'"
            },
            {
                file: '/tmp/p/force-app/main/default/classes/B.cls',
                line: 62,
                column: 30,
                endLine: 65,
                endColumn: 9,
                category: 'Missing',
                message: "No type declaration found for 'PhoneKeyBackfillBatch'"
            }
        ]);
    });

    test('an unreadable line under a file is a finding, never dropped', () => {
        const findings = parseReport('/tmp/p/A.cls\nSomething new from apexlink');
        assert.equal(findings.length, 1);
        assert.equal(findings[0].category, 'Error');
        assert.match(findings[0].message, /unreadable apexlink output/);
    });
});
