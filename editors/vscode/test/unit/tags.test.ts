import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closingTag } from '../../src/tags';

describe('closingTag', () => {
  it('closes an opening tag', () => {
    assert.equal(closingTag('\t<key>', ''), '</key>');
    assert.equal(closingTag('<dict>', '\n'), '</dict>');
    assert.equal(closingTag('<plist version="1.0">', ''), '</plist>');
    assert.equal(closingTag('<key>a</key><string>', ''), '</string>');
  });

  it('leaves alone what is not an opening tag', () => {
    for (const before of ['<true/>', '<true />', '</key>', '<?xml version="1.0"?>', '<!DOCTYPE plist>', 'a > b', '<!-- <key> ']) {
      assert.equal(closingTag(before, ''), undefined, before);
    }
  });

  it('does not close twice', () => {
    assert.equal(closingTag('<key>', '</key>'), undefined);
    assert.equal(closingTag('<key>', '  </key> '), undefined);
    assert.equal(closingTag('<key>', '</string>'), '</key>');
  });

  it('closes after a finished comment', () => {
    assert.equal(closingTag('<!-- x --><key>', ''), '</key>');
  });
});
