import { readFileSync } from 'node:fs';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createMasker, PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { describe, expect, it } from 'vitest';
import { findingsIn } from './support/findings';

/**
 * Issue 10, promise by promise, as an attacker and a demanding user would probe it (session pii10).
 * Each `it` names the promise; the cases that failed when the audit started are marked `gap:`.
 */
const typesIn = (text: string): string[] => findingsIn(text).map(([type]) => type);
const masked = (text: string, type: string): string[] =>
  findingsIn(text)
    .filter(([found]) => found === type)
    .map(([, value]) => value);
/** Each text masks exactly its value as `type`. */
const expectEach = (type: string, cases: Array<[string, string]>): void => {
  for (const [text, value] of cases) expect(masked(text, type), text).toEqual([value]);
};

describe('issue 10 item 3: phone numbers as each country writes them', () => {
  it("finds the issue's own examples after a phone word, and the international ones anywhere", () => {
    expect(masked('call me on 0491 57 03 22', 'PHONE')).toEqual(['0491 57 03 22']);
    expect(masked('+46 (0)8 123 456 78', 'PHONE')).toEqual(['+46 (0)8 123 456 78']);
    expect(masked('téléphone : 01.42.68.53.00', 'PHONE')).toEqual(['01.42.68.53.00']);
    expect(masked('212-555-0147x203', 'PHONE')).toEqual(['212-555-0147x203']);
    expect(masked('call 212-555-0147 ext. 203', 'PHONE')).toEqual(['212-555-0147 ext. 203']);
  });

  it('finds DE, JP, IN, BR, KR, FR, AU numbers with a phone word and in international form', () => {
    expectEach('PHONE', [
      ['Telefon: +49 30 12345678', '+49 30 12345678'],
      ['Tel. 089 123456', '089 123456'],
      ['tel 06-6123-4567', '06-6123-4567'],
      ['+81 3-1234-5678', '+81 3-1234-5678'],
      ['+91 98765 43210', '+91 98765 43210'],
      ['phone 022 2345 6789', '022 2345 6789'],
      ['tel (11) 98765-4321', '(11) 98765-4321'],
      ['+55 11 98765-4321', '+55 11 98765-4321'],
      ['010-1234-5678', '010-1234-5678'],
      ['연락처 02-123-4567', '02-123-4567'],
      ['+82 10-1234-5678', '+82 10-1234-5678'],
      ['Appelez le 06 12 34 56 78', '06 12 34 56 78'],
      ['+61 491 570 322', '+61 491 570 322'],
    ]);
  });

  it('gap: the phone words of the languages whose numbers it reads (Telefon, Handy, Rufnummer, móvil, celular, 電話, 手机 …)', () => {
    expectEach('PHONE', [
      ['Telefon 089 123456', '089 123456'],
      ['Telefonnummer: 089 123456', '089 123456'],
      ['Rufnummer 089 123456', '089 123456'],
      ['móvil 612 34 56 78', '612 34 56 78'],
      ['celular (11) 98765-4321', '(11) 98765-4321'],
      ['telefone (11) 2345-6789', '(11) 2345-6789'],
      ['電話 06-6123-4567', '06-6123-4567'],
      ['電話番号: 06-6123-4567', '06-6123-4567'],
      ['手机 138 0013 8000', '138 0013 8000'],
      ['Tlf 22 12 34 56', '22 12 34 56'],
    ]);
  });

  it('gap: an Indian number grouped 5+5 after its trunk 0 (`098765 43210`), a German one with a slash (`030/12345678`)', () => {
    expect(masked('call 098765 43210', 'PHONE')).toEqual(['098765 43210']);
    expect(masked('Tel.: 030/12345678', 'PHONE')).toEqual(['030/12345678']);
    // A slash without a phone word is a date or a fraction, as before.
    expect(typesIn('ratio 2024/12345678 of the batch')).toEqual([]);
    // …and a fraction or a date before a number does not hide it.
    expect(masked('on 14/03/1985 212-555-0147', 'PHONE')).toEqual(['212-555-0147']);
    expect(masked('page 1/2024 010-1234-5678', 'PHONE')).toEqual(['010-1234-5678']);
    expect(masked('page 12/40 010-1234-5678', 'PHONE')).toEqual(['010-1234-5678']);
  });

  it('leaves dates, versions, ids and prices alone without a phone word', () => {
    for (const text of ['released 2024.03.14 build 7', 'version 10.4.12.1234', 'order 1234-5678-90', 'total 1,234,567.89', 'ISBN 978-3-16-148410-0'])
      expect(typesIn(text), text).toEqual([]);
  });
});

describe('issue 10 item 1: dates of birth and ages with context', () => {
  it('finds a date after birth words in English, Korean, German and French', () => {
    expectEach('DATE_OF_BIRTH', [
      ['born on 03/14/1985', '03/14/1985'],
      ['DOB: 1985-03-14', '1985-03-14'],
      ['생년월일: 1985년 3월 14일', '1985년 3월 14일'],
      ['Geburtsdatum: 14.03.1985', '14.03.1985'],
      ['né le 14/03/1985', '14/03/1985'],
    ]);
  });

  it('gap: a Korean date of birth as six digits or YY.MM.DD (`생년월일 850314`), `DOB 14-Mar-1985`, a month and year, a birthday without its year', () => {
    expectEach('DATE_OF_BIRTH', [
      ['생년월일 850314', '850314'],
      ['생년월일: 85.03.14', '85.03.14'],
      ['DOB 14-Mar-1985', '14-Mar-1985'],
      ['born March 1985', 'March 1985'],
      ['생일: 3월 14일', '3월 14일'],
      ['my birthday is 14 March', '14 March'],
      ['birthday: March 14th', 'March 14th'],
    ]);
    // A six-digit number after a birth word that is no date stays; so does a year alone.
    expect(typesIn('생년월일 991399')).toEqual([]);
    expect(typesIn('born in 1985')).toEqual([]);
  });

  it('gap: ages in Korean native numbers and with a particle (`42살`, `42세입니다`), `I am 42`, German and French', () => {
    expectEach('AGE', [
      ['저는 42살입니다', '42'],
      ['42살이에요', '42'],
      ['42세입니다', '42'],
      ["I'm 42 and live alone", '42'],
      ['she is 42.', '42'],
      ['ich bin 42 Jahre alt', '42'],
      ["j'ai 42 ans", '42'],
      ['Alter: 42', '42'],
    ]);
    for (const text of ['I am 42 minutes late', 'she is 5 km away', 'it is 42', '세금 42세대', 'I am 100% sure', 'we are 3 people'])
      expect(masked(text, 'AGE'), text).toEqual([]);
  });
});

describe('issue 10 item 5: cards of older issuer ranges', () => {
  it('finds 15-digit JCB (2131, 1800) and UATP numbers that pass Luhn, and 12-digit Maestro after a card word', () => {
    expect(masked('card 213112345678904', 'CREDIT_CARD')).toEqual(['213112345678904']);
    expect(masked('JCB 1800 1234 5678 905', 'CREDIT_CARD')).toEqual(['1800 1234 5678 905']);
    expect(masked('UATP 100000000000009', 'CREDIT_CARD')).toEqual(['100000000000009']);
    expect(masked('maestro 501234567896', 'CREDIT_CARD')).toEqual(['501234567896']);
    expect(masked('card number 6759 6498 2648', 'CREDIT_CARD')).toEqual(['6759 6498 2648']);
    expect(masked('카드 630412345674', 'CREDIT_CARD')).toEqual(['630412345674']);
    // Without a card word a 12-digit number is an id.
    expect(typesIn('ref 501234567896')).toEqual([]);
  });

  it('gap: a barcode (EAN-13, GTIN, UPC) that happens to pass Luhn is not a card', () => {
    expect(typesIn('EAN 5901234123457')).toEqual([]);
    expect(typesIn('GTIN: 5901234123457')).toEqual([]);
    expect(typesIn('barcode 5901234123457')).toEqual([]);
    // The same digits after a card word still are.
    expect(masked('card 5901234123457', 'CREDIT_CARD')).toEqual(['5901234123457']);
  });
});

describe('issue 10 item 1: names, with a gazetteer free of ordinary words', () => {
  it('gap: `name: Tom` at the start of a value masks the name, not the word "name"', () => {
    expect(findingsIn('name: Tom')).toEqual([['PERSON', 'Tom']]);
    expect(findingsIn('name: Zdeněk Procházka')).toEqual([['PERSON', 'Zdeněk Procházka']]);
  });

  it('gap: a code identifier in CamelCase is not a name (`Name: ValidationError`), McKay and DiCaprio still are', () => {
    expect(typesIn('Line 47: TypeError. Name: ValidationError.')).toEqual([]);
    expect(masked('Dear Mr McKay,', 'PERSON')).toEqual(['McKay']);
    expect(masked('my name is Leonardo DiCaprio', 'PERSON')).toEqual(['Leonardo DiCaprio']);
    expect(masked('Dear MacDonald,', 'PERSON')).toEqual(['MacDonald']);
  });

  it('gap: a team or a feature after "with"/"adds" is not a person (`met with Sales Operations`, `adds Dark Mode`)', () => {
    expect(typesIn('The Marketing Team met with Sales Operations on Monday.')).toEqual([]);
    expect(typesIn('Version 2.0 of the Customer Portal adds Dark Mode, Export to CSV and Single Sign-On.')).toEqual([]);
    // A person after "with" still is.
    expect(masked('I spoke with Hollis Treadwell today', 'PERSON')).toEqual(['Hollis Treadwell']);
  });
});

describe('issue 10 item 1: street addresses (US, UK, EU, KR)', () => {
  it('finds the formats of each region', () => {
    expectEach('STREET_ADDRESS', [
      ['221B Baker Street, London NW1 6XE', '221B Baker Street, London NW1 6XE'],
      ['1600 Pennsylvania Ave NW, Washington, DC 20500', '1600 Pennsylvania Ave NW, Washington, DC 20500'],
      ['Musterstraße 12, 10115 Berlin', 'Musterstraße 12, 10115 Berlin'],
      ['Keizersgracht 123, 1015 CJ Amsterdam', 'Keizersgracht 123, 1015 CJ Amsterdam'],
      ['서울특별시 강남구 테헤란로 152', '서울특별시 강남구 테헤란로 152'],
      ['부산광역시 해운대구 해운대로 123, 101동 1203호', '부산광역시 해운대구 해운대로 123, 101동 1203호'],
    ]);
  });

  it('gap: the city and ZIP after an abbreviated street type with a dot (`Main St. Springfield, IL 62704`)', () => {
    expect(masked('1234 Main St. Springfield, IL 62704', 'STREET_ADDRESS')).toEqual(['1234 Main St. Springfield, IL 62704']);
  });

  it('gap: Polish `ul.` with a flat number, Portuguese and Swedish postcodes, Norwegian `gate` written apart', () => {
    const rest = (text: string) => findingsIn(text).reduce((out, [, value]) => out.replace(value, ''), text);
    // Nothing of the street, number or postcode is left in clear text.
    expect(rest('ul. Marszałkowska 10/12, 00-590 Warszawa')).not.toMatch(/Marszałkowska|10\/12|00-590/);
    expect(rest('Rua Augusta 100, 1100-053 Lisboa')).not.toMatch(/Augusta|100|053/);
    expect(rest('Drottninggatan 25, 111 51 Stockholm')).not.toMatch(/Drottninggatan|25|111 51/);
    expect(rest('Karl Johans gate 22, 0159 Oslo')).not.toMatch(/Johans|22|0159/);
  });

  it('gap: a product name and a model number are not an address (`Summit Backpack 30L, Nimbus 2000 Headphones`)', () => {
    expect(typesIn('Product: Summit Backpack 30L, Nimbus 2000 Headphones.')).not.toContain('STREET_ADDRESS');
  });
});

describe('issue 10 bound: over-masking of clean business text', () => {
  it('gap: masks at most 2 % of a second clean text written for the audit (it masked 4.53 %)', () => {
    const text = readFileSync(new URL('../../../test/pii-corpus/clean-business-2.txt', import.meta.url), 'utf8');
    const findings = createMasker().scan(text);
    const masked = findings.reduce((sum, finding) => sum + finding.end - finding.start, 0);
    console.log(
      `clean-business-2: ${((100 * masked) / text.length).toFixed(2)} % masked`,
      findings.map((f) => `${f.type} ${text.slice(f.start, f.end)}`),
    );
    expect(masked / text.length).toBeLessThanOrEqual(0.02);
  });
});

describe('issue 10 bound: infrastructure identifiers treated consistently', () => {
  const masker = createMasker();

  it('keeps the server’s host in every attribute that names it, as server.address and url.full do', () => {
    const attributes = masker.maskAttributes({
      'server.address': '127.0.0.1',
      'url.full': 'http://127.0.0.1:4318/v1/traces',
      // gap: these were masked as <IP_ADDRESS> while the two above kept the address.
      'url.domain': '127.0.0.1',
      'http.host': '127.0.0.1:4318',
      'net.host.name': '10.0.0.7',
      'server.socket.address': '10.0.0.7',
      'network.local.address': '10.0.0.5',
    });
    expect(attributes).toEqual({
      'server.address': '127.0.0.1',
      'url.full': 'http://127.0.0.1:4318/v1/traces',
      'url.domain': '127.0.0.1',
      'http.host': '127.0.0.1:4318',
      'net.host.name': '10.0.0.7',
      'server.socket.address': '10.0.0.7',
      'network.local.address': '10.0.0.5',
    });
  });

  it('still masks what is not a host in those attributes, and the client’s address always', () => {
    const attributes = masker.maskAttributes({ 'url.domain': 'jane.doe@example.com', 'client.address': '203.0.113.9', 'source.address': '203.0.113.9' });
    expect(attributes).toEqual({ 'url.domain': '<EMAIL>', 'client.address': '<IP_ADDRESS>', 'source.address': '<IP_ADDRESS>' });
  });

  it('gap: the peer of a client span is the server it called (kept); the peer of a server span is the end user (masked)', () => {
    const peer = { 'network.peer.address': '127.0.0.1', 'net.peer.name': '10.0.0.7', 'net.peer.ip': '10.0.0.7', 'net.sock.peer.addr': '10.0.0.7' };
    expect(masker.maskAttributes(peer, undefined, { peerIsServer: true })).toEqual(peer);
    expect(masker.maskAttributes(peer)).toEqual({
      'network.peer.address': '<IP_ADDRESS>',
      'net.peer.name': '<IP_ADDRESS>',
      'net.peer.ip': '<IP_ADDRESS>',
      'net.sock.peer.addr': '<IP_ADDRESS>',
    });
  });
});

describe('issue 10 bound: the same rule on real spans', () => {
  it('gap: a CLIENT span keeps its peer address like server.address; a SERVER span masks the client’s', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new PiiMaskingSpanProcessor(new SimpleSpanProcessor(exporter))] });
    const tracer = provider.getTracer('audit');
    const address = { 'server.address': '127.0.0.1', 'network.peer.address': '127.0.0.1', 'url.full': 'http://127.0.0.1:4318/v1/traces' };
    tracer.startSpan('POST', { kind: SpanKind.CLIENT, attributes: address }).end();
    tracer.startSpan('GET /users', { kind: SpanKind.SERVER, attributes: { 'network.peer.address': '203.0.113.9', 'client.address': '203.0.113.9' } }).end();
    await provider.forceFlush();
    const [client, server] = exporter.getFinishedSpans();
    expect(client!.attributes).toEqual(address);
    expect(server!.attributes).toMatchObject({ 'network.peer.address': '<IP_ADDRESS>', 'client.address': '<IP_ADDRESS>' });
    await provider.shutdown();
  });
});

describe('issue 10 item 4: obfuscated forms, normalised for detection and masked in the original text', () => {
  const masker = createMasker();
  const cases: Array<[string, string]> = [
    ['card ４１１１ １１１１ １１１１ １１１１', 'card <CREDIT_CARD>'],
    ['ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', '<EMAIL>'],
    ['ＤＯＢ：１９８５－０３－１４', 'ＤＯＢ：<DATE_OF_BIRTH>'],
    ['call ０１０-１２３４-５６７８', 'call <PHONE>'],
    ['card 4111\u00a01111\u00a01111\u00a01111', 'card <CREDIT_CARD>'],
    ['card 4111\u2009\u20091111\u202f1111\u30001111', 'card <CREDIT_CARD>'],
    ['card 4111\u200b1111\u200b1111\u200b1111', 'card <CREDIT_CARD>'],
    ['card 4111 -- 1111 -- 1111 -- 1111', 'card <CREDIT_CARD>'],
    ['ssn 123 - 45 - 6789', 'ssn <US_SSN>'],
    ['card 4111.1111.1111.1111', 'card <CREDIT_CARD>'],
    ['card_4111111111111111', 'card_<CREDIT_CARD>'],
    ['{"email":"jane\\u0040example.com"}', '{"email":"<EMAIL>"}'],
    ['jane\\\\u0040example.com', '<EMAIL>'],
    ['jane%40example%2Ecom', '<EMAIL>'],
    ['jürgen@müller.de', '<EMAIL>'],
    ['jane@xn--mller-kva.de', '<EMAIL>'],
    ['пользователь@пример.рф', '<EMAIL>'],
    ['김민수@네이버.한국', '<EMAIL>'],
    ['Mr. Ｊｏｈｎ Ｑｕａｒｒｉｎｇｔｏｎ', 'Mr. <PERSON>'],
    // gap: a percent sign itself encoded (a URL inside a query parameter), underscores between card groups.
    ['https://x.test/?next=%2Fu%3Femail%3Djane%2540example.com', 'https://x.test/?next=%2Fu%3Femail%3D<EMAIL>'],
    ['card 4111_1111_1111_1111', 'card <CREDIT_CARD>'],
  ];
  for (const [text, expected] of cases) it(`masks ${JSON.stringify(text)}`, () => expect(masker.maskString(text)).toBe(expected));

  it('a pseudonym is the same however the value was written', () => {
    const pseudo = createMasker({ operator: { kind: 'pseudonym', key: 'k'.repeat(32), keyId: 'k1' } });
    const plain = pseudo.maskString('jane@example.com');
    for (const text of ['jane\\u0040example.com', 'jane%40example.com', 'ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ']) expect(pseudo.maskString(text)).toBe(plain);
  });
});

describe('issue 10 item 1: the four operators on every new type', () => {
  const texts: Record<string, [string, string]> = {
    PERSON: ['Dear Mr. Quarrington,', 'Quarrington'],
    STREET_ADDRESS: ['I live at 48 Larkspur Avenue.', '48 Larkspur Avenue'],
    DATE_OF_BIRTH: ['DOB: 1983-11-07', '1983-11-07'],
    AGE: ['she is 42 years old', '42'],
    US_DRIVER_LICENSE: ['driver license D1234567', 'D1234567'],
    PASSPORT: ['passport 584120367', '584120367'],
    PHONE: ['call 212-555-0147', '212-555-0147'],
  };
  for (const [type, [text, value]] of Object.entries(texts)) {
    it(`${type}: replace, redact, keep-last-4 and an HMAC pseudonym`, () => {
      expect(createMasker().maskString(text)).toBe(text.replace(value, `<${type}>`));
      expect(createMasker({ operator: { kind: 'redact' } }).maskString(text)).toBe(text.replace(value, ''));
      const kept = createMasker({ operator: { kind: 'mask', keep: 4 } }).maskString(text);
      expect(kept).not.toContain(value);
      if (value.length > 8)
        expect(kept).toContain(
          value
            .replace(/[^0-9A-Za-z]/g, '')
            .slice(-4)
            .slice(-1),
        );
      const pseudonym = createMasker({ operator: { kind: 'pseudonym', key: 'k'.repeat(32), keyId: 'k1' } }).maskString(text);
      expect(pseudonym).toBe(text.replace(value, pseudonym.match(new RegExp(`<${type}:k1:[0-9a-f]{16}>`))![0]));
    });
  }
});

describe('issue 10 bound: an engine that fails masks the whole value and says so on the span', () => {
  it('a names engine that throws turns the value into the scan-failed marker, counted on the span', async () => {
    const exporter = new InMemorySpanExporter();
    // A names engine plugged in through the Detector interface, as a heavier one would be, that fails.
    const failing = {
      type: 'PERSON_NER',
      priority: 30,
      mayContain: () => true,
      // It fails on this one text only (a model that crashes on some input); keys and other values pass.
      find: (text: string) => {
        if (text.includes('Quarrington')) throw new Error('model crashed on Quarrington');
      },
    };
    const processor = new PiiMaskingSpanProcessor(new SimpleSpanProcessor(exporter), { detectors: [failing] });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    provider
      .getTracer('audit')
      .startSpan('chat', { attributes: { 'gen_ai.input.messages': 'Dear Mr. Quarrington, DOB 1983-11-07' } })
      .end();
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes['gen_ai.input.messages']).toBe('<REDACTED:scan_failed>');
    expect(span!.attributes['llm_otel.redaction.masked.types']).toEqual(['SCAN_FAILED']);
    expect(JSON.stringify(span!.attributes)).not.toContain('Quarrington');
    await provider.shutdown();
  });
});

describe('issue 10 item 2: names outside the gazetteers, found by context (rules written on the dev half)', () => {
  const names = (text: string) => masked(text, 'PERSON');

  it('a kinship or artist word right before the name', () => {
    expect(names('I would like to remove my kid Dzhambek from the will.')).toEqual(['Dzhambek']);
    expect(names('A tribute to Vilmer Qorvath, who died last year.')).toEqual(['Vilmer Qorvath']);
    expect(names('songwriter Zarko Qorvath employs corporate lawyers')).toEqual(['Zarko Qorvath']);
  });

  it('particles of family names and a double space inside the name', () => {
    expect(names('Dear Ludwig van Qorvath,')).toEqual(['Ludwig van Qorvath']);
    expect(names('Dear Lara  Qorvath,')).toEqual(['Lara  Qorvath']);
  });

  it('the speakers of a dialogue written as a script, not the labels of a report or a prompt', () => {
    expect(names('Koppány: "Who are you?"\nElizabetta:"I\'m the daughter."')).toEqual(['Koppány', 'Elizabetta']);
    expect(names('Revenue: $5M\nProfit: $1M')).toEqual([]);
    expect(names('User: "hi"\nAssistant: "hello"')).toEqual([]);
    expect(names('Title: "Q3"\nOwner: "ops"')).toEqual([]);
  });

  it('the name line of an address label after its heading, and above a military address', () => {
    expect(names('Billing address: Zsofka Qorvath\n    3482 Via Franscini 12')).toEqual(['Zsofka Qorvath']);
    expect(names('Dreux Qorvath\nPaxata\nPSC 3294, Box 8144\nAPO AA 42323')).toEqual(['Dreux Qorvath']);
  });

  it('a lower-case title with its dot, not a unit after a number', () => {
    expect(names("I'd like to join accounts with ms. Quinzia")).toEqual(['Quinzia']);
    expect(names('took 400 ms. Budget stays')).toEqual([]);
  });

  it('what only a person has or does after one unknown word (`Matej’s address`), not a company’s', () => {
    expect(names("As promised, here's Matej's address:")).toEqual(['Matej']);
    expect(names('Qorvath grew up in Tampere.')).toEqual(['Qorvath']);
    expect(names("Apple's address is 1 Infinite Loop")).toEqual([]);
  });

  it('a lower-case name after `my name is`, not an ordinary word', () => {
    expect(names('my name is vitoria')).toEqual(['vitoria']);
    expect(names('my name is borna jerković but everyone calls me borna')).toEqual(['borna jerković']);
    expect(names('Hi, my name is not important')).toEqual([]);
  });

  it('country names are not first names (`France`, `German` were in the gazetteer)', () => {
    expect(names('I will be travelling to France next week, so I need the German place downtown.')).toEqual([]);
  });
});

describe('issue 10 item 1: Korean', () => {
  it('gap: a lot address without 번지 after its region words (`서울시 강남구 역삼동 123-45`)', () => {
    expect(masked('서울시 강남구 역삼동 123-45', 'STREET_ADDRESS')).toEqual(['서울시 강남구 역삼동 123-45']);
    // Without region words a 동 and a number is not an address.
    expect(masked('101동 1203호 앞', 'STREET_ADDRESS')).toEqual([]);
  });

  it('gap: `남성 환자`, `여성 고객님` are a sex and a role, not a name', () => {
    expect(masked('35세 남성 환자', 'PERSON')).toEqual([]);
    expect(masked('여성 고객님께 안내', 'PERSON')).toEqual([]);
    expect(masked('홍길동 환자', 'PERSON')).toEqual(['홍길동']);
  });

  it('gap: a date of birth written with 생 after it (`1985.03.14생`)', () => {
    expect(masked('1985.03.14생', 'DATE_OF_BIRTH')).toEqual(['1985.03.14']);
    expect(masked('김민수(1985년 3월 14일생)', 'DATE_OF_BIRTH')).toEqual(['1985년 3월 14일']);
    expect(masked('2024.03.14 생산분', 'DATE_OF_BIRTH')).toEqual([]);
    expect(masked('2024.03.14생산', 'DATE_OF_BIRTH')).toEqual([]);
  });
});

describe('issue 10 item 1: postcodes and cities around a street', () => {
  it('gap: the city after an EU postcode (`75008 Paris`, `28195 Bremen`)', () => {
    expect(masked('45 Rue du Faubourg Saint-Honoré, 75008 Paris', 'STREET_ADDRESS')).toEqual(['45 Rue du Faubourg Saint-Honoré, 75008 Paris']);
    expect(masked('Am Markt 3, 28195 Bremen', 'STREET_ADDRESS')).toEqual(['Am Markt 3, 28195 Bremen']);
    // A US ZIP is followed by the next sentence, not by a city.
    expect(masked('1234 Main St, Springfield, IL 62704 Tomorrow we ship.', 'STREET_ADDRESS')).toEqual(['1234 Main St, Springfield, IL 62704']);
  });

  it('gap: a ZIP+4 after a state is part of the address, not a phone number (`MA 02139-4307`)', () => {
    expect(findingsIn('ship to 77 Massachusetts Ave, Cambridge, MA 02139-4307')).toEqual([
      ['STREET_ADDRESS', '77 Massachusetts Ave, Cambridge, MA 02139-4307'],
    ]);
  });
});

describe('issue 10 item 1: UK addresses without a house number', () => {
  it('gap: a house name and a street before a city and a full UK postcode', () => {
    expect(masked('The Old Rectory, Church Lane, Oxford OX1 4AB', 'STREET_ADDRESS')).toEqual(['The Old Rectory, Church Lane, Oxford OX1 4AB']);
    expect(masked('The letter came from Rose Cottage, Mill Road, Cambridge CB1 2AB yesterday', 'STREET_ADDRESS')).toEqual([
      'Rose Cottage, Mill Road, Cambridge CB1 2AB',
    ]);
    expect(masked('Church Lane, Oxford OX1 4AB', 'STREET_ADDRESS')).toEqual(['Church Lane, Oxford OX1 4AB']);
  });

  it('gap: a postal code after its name (`my postcode is SW1A 2AA`, `ZIP code 94043`)', () => {
    expect(findingsIn('My postcode is SW1A 2AA')).toEqual([['POSTAL_CODE', 'SW1A 2AA']]);
    expect(findingsIn('zip code: 94043')).toEqual([['POSTAL_CODE', '94043']]);
    expect(findingsIn('ZIP: 75534-030')).toEqual([['POSTAL_CODE', '75534-030']]);
    // A code of that shape without a street or a postcode word stays.
    expect(findingsIn('Error code AB1 2CD in module X')).toEqual([]);
  });
});

describe('issue 10 item 2: lists of names', () => {
  it('a list where most words are gazetteer first names holds only names, in either case', () => {
    expect(masked('invite tom, anna, kasia and mike', 'PERSON')).toEqual(['tom', 'anna', 'kasia', 'mike']);
    expect(masked('They had 4: Janet, Qorvath, Kevin and Anna.', 'PERSON')).toEqual(['Janet', 'Qorvath', 'Kevin', 'Anna']);
  });

  it('leaves lists of things and firms named after people alone', () => {
    for (const text of ['red, green, blue and white', 'salt, pepper and oil', 'Kubernetes, Docker and Terraform', 'Paris, Berlin, Milan and Rome'])
      expect(masked(text, 'PERSON'), text).toEqual([]);
    expect(masked('The Clark, Romero and Hall Orchestra played', 'PERSON')).not.toContain('Hall');
  });
});
