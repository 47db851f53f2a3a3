/**
 * Top-level domains accepted at the end of an e-mail address. Every ISO 3166 country-code TLD, the
 * legacy generic ones, and the new generic TLDs common in addresses (IANA lists ~1,450; the rest are
 * rare in mail). The check keeps `logo@2x.png`, `user@host.local` and `x@build.gradle` from being read
 * as addresses. Internationalised TLDs are listed in their punycode and Unicode forms.
 */
const COUNTRY_CODES =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bv bw by bz ' +
  'ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ' +
  'ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ' +
  'ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu ' +
  'mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw ' +
  'sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ' +
  'ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';

const GENERIC =
  'com net org edu gov mil int arpa info biz name pro aero coop museum mobi asia tel travel jobs cat post xxx ' +
  'app dev page cloud tech online site store shop xyz top club blog email live life world company agency digital ' +
  'network solutions services systems group global media news studio design art space website today center zone ' +
  'one link click help support team tools ventures capital finance money bank insurance health care clinic law ' +
  'legal house academy education school university college ltd inc llc works careers consulting software codes ' +
  'data run host hosting domains technology security foundation fund partners church love fun games social chat ' +
  'community events expert guru land city earth green energy photo photography pictures video movie music radio ' +
  'film fashion style beauty fit fitness yoga sport bike cars auto realty properties estate homes kitchen ' +
  'restaurant cafe pizza bar pub wine beer coffee town family kim seoul busan nyc london paris berlin tokyo ' +
  'google amazon apple microsoft samsung ibm sap new ooo plus red blue pink black gold vip win bet ' +
  'xn--3e0b707e 한국 xn--mk1bu44c 닷컴 xn--t60b56a 닷넷 xn--fiqs8s xn--fiqz9s xn--j6w193g xn--p1ai xn--90ais';

export const KNOWN_TLDS: ReadonlySet<string> = new Set(`${COUNTRY_CODES} ${GENERIC}`.split(' '));
