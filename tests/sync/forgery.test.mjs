// Node test: forged writes the province-db guard (couchdb/guard.js) must refuse — each "attack:" test was accepted by the guard before the chain/signer rewrite — and the legitimate chain it must let through.
// Run: node --test --test-concurrency=1 tests/sync/forgery.test.mjs
// Against another guard (e.g. the previous one, to see the attacks succeed there):
//   git show HEAD:couchdb/guard.js > /tmp/guard-head.js
//   TIEUCHI_GUARD_FILE=/tmp/guard-head.js node --test --test-concurrency=1 tests/sync/forgery.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { guardSource, startCouch, USERS } from './server.mjs';
import {
  assessmentDoc, bundledFramework, conditionEvent, dossierAt, edited, frameworkText, fullRecord, reviewEntry,
  reviewEvent, signed, signer,
} from './docs.mjs';

const DBP = '/tieuchi_p96';
let couch;
const cookies = {};

const as = (user) => ({ cookie: cookies[user] });
const bulk = (user, docs) => couch.request('POST', `${DBP}/_bulk_docs`, { ...as(user), body: { docs } });
const get = async (id) => (await couch.admin('GET', `${DBP}/${encodeURIComponent(id)}`)).body;

/** Writes `doc` as `user` and expects it stored; returns the new _rev. */
async function put(user, doc) {
  const r = await bulk(user, [doc]);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body[0].ok, true, `${doc._id} by ${user}: ${r.text}`);
  return r.body[0].rev;
}
async function adminPut(doc) {
  const r = await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [doc] });
  assert.equal(r.body[0].ok, true, `${doc._id} by admin: ${r.text}`);
  return r.body[0].rev;
}
/** Writes `doc` as `user` (or as _admin for user "admin") and expects a `forbidden` row whose reason matches. */
async function refused(user, doc, reason) {
  const r = user === 'admin'
    ? await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [doc] })
    : await bulk(user, [doc]);
  assert.equal(r.status, 201, r.text);
  const row = r.body[0];
  assert.equal(row.error, 'forbidden', `${doc._id} by ${user} should be refused: ${r.text}`);
  assert.match(row.reason, reason);
  assert.match(row.reason, /\S \/ [_A-Za-z]/, `Vietnamese / English: ${row.reason}`);
  return row.reason;
}
/** The stored document `id`, with `fn` applied (the starting point of a forged update). */
const stored = async (id, fn) => edited(await get(id), fn);

before(async () => {
  couch = await startCouch();
  for (const [name, u] of Object.entries(USERS)) cookies[name] = await couch.login(name, u.password);
});

after(async () => {
  await couch?.stop();
});

describe('forged stage changes', () => {
  test('attack: an xa takes a draft to recognised with one submit event whose `to` is recognised', async () => {
    const doc = assessmentDoc('jump', { stage: 'recognised', audit: [signed('xa1', 1, 'draft', 'recognised', 'submit')] });
    await refused('xa1', doc, /workflow\.audit\[0\]: bước “submit” từ “Bản nháp” \(draft\) dẫn tới “Đã nộp” \(submitted\), không phải “Đã công nhận” \(recognised\)/);
    // Also on a stored draft.
    const rev = await put('xa1', assessmentDoc('jump2'));
    await refused('xa1', assessmentDoc('jump2', { rev, stage: 'recognised', audit: [signed('xa1', 1, 'draft', 'recognised', 'submit')] }),
      /dẫn tới “Đã nộp”/);
  });

  test('attack: an xa "submits" a recognised dossier back to draft', async () => {
    await adminPut(dossierAt('back', 'recognised'));
    const doc = await stored('assessment:back', (d) => {
      d.assessment.workflow.stage = 'draft';
      d.assessment.workflow.audit.push(signed('xa1', 9, 'recognised', 'draft', 'submit', { role: null }));
    });
    await refused('xa1', doc, /workflow\.audit\[\d+\]: không thực hiện được bước “submit” ở trạng thái “Đã công nhận” \(recognised\)/);
  });

  test('attack: a reviewer "returns" a recognised dossier by claiming `from: submitted`', async () => {
    await adminPut(dossierAt('claim', 'recognised'));
    const doc = await stored('assessment:claim', (d) => {
      d.assessment.workflow.stage = 'draft';
      d.assessment.workflow.audit.push(signed('tt1', 9, 'submitted', 'draft', 'return'));
    });
    await refused('tt1', doc, /workflow\.audit\[\d+\]: bước “return” ghi từ trạng thái “Đã nộp” \(submitted\) nhưng hồ sơ đang ở “Đã công nhận” \(recognised\)/);
  });

  test('a return needs a reason; nothing follows recognised; the stage must be where the steps lead', async () => {
    await adminPut(dossierAt('noreason', 'submitted'));
    await refused('tt1', await stored('assessment:noreason', (d) => {
      d.assessment.workflow.stage = 'draft';
      d.assessment.workflow.audit.push(signed('tt1', 9, 'submitted', 'draft', 'return', { reason: '  ' }));
    }), /trả lại hồ sơ phải ghi lý do/);
    await adminPut(dossierAt('after', 'recognised'));
    await refused('cn1', await stored('assessment:after', (d) => {
      d.assessment.workflow.audit.push(signed('cn1', 9, 'recognised', 'draft', 'return'));
      d.assessment.workflow.stage = 'draft';
    }), /không thực hiện được bước “return” ở trạng thái “Đã công nhận”/);
    // A declared role must be the step's part.
    await refused('tt1', await stored('assessment:noreason', (d) => {
      d.assessment.workflow.stage = 'reviewed';
      d.assessment.workflow.audit.push(signed('tt1', 9, 'submitted', 'reviewed', 'review', { role: 'appraiser' }));
    }), /vai trò ghi là “appraiser” nhưng bước này thuộc phần “thẩm tra” \(reviewer\)/);
  });

  test('_admin is held to chain legality, limits and shape (not to roles or signers)', async () => {
    await refused('admin', assessmentDoc('adm1', { stage: 'recognised', audit: [signed('xa1', 1, 'draft', 'recognised', 'submit')] }),
      /dẫn tới “Đã nộp”/);
    await refused('admin', assessmentDoc('adm2', { stage: 'submitted' }), /nhưng các bước ký dẫn tới “Bản nháp”/);
    const bad = assessmentDoc('adm3', { stage: 'submitted', audit: [{ ...signed('xa1', 1, 'draft', 'submitted', 'submit'), kind: { type: 'signature' } }] });
    await refused('admin', bad, /workflow\.audit\[0\]: loại sự kiện “signature” không hợp lệ/);
    // Signed under any name and account: fine for the server admin.
    await adminPut(assessmentDoc('adm4', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { by: { name: 'Quản trị', title: 'IT' }, account: 'admin' })] }));
  });
});

describe('replication-style writes', () => {
  test('a member\'s new_edits:false branch over a recognised dossier does not win on pouchdb-server', async () => {
    await adminPut(dossierAt('branch', 'recognised'));
    const forged = edited(assessmentDoc('branch'), (d) => {
      d._rev = '900-ffffffffffffffffffffffffffffffff';
      d._revisions = { start: 900, ids: ['ffffffffffffffffffffffffffffffff'] };
    });
    const r = await couch.request('POST', `${DBP}/_bulk_docs`, { ...as('xa1'), body: { docs: [forged], new_edits: false } });
    assert.ok(r.status === 201 || r.status === 403, r.text);
    assert.ok(r.status === 403 || (Array.isArray(r.body) && r.body.every((row) => row.error === 'forbidden')), r.text);
    assert.equal((await get('assessment:branch')).assessment.workflow.stage, 'recognised');
  });
});

describe('frozen content, reviews and conditions', () => {
  test('attack: a member changes the answers of a submitted or a recognised dossier', async () => {
    await adminPut(dossierAt('frozen1', 'submitted'));
    await refused('xa1', await stored('assessment:frozen1', (d) => {
      d.assessment.entries['1.1'].answer.v = false;
      d.assessment.updated_at += 1;
    }), /Hồ sơ ở trạng thái “Đã nộp” \(submitted\) không được sửa nội dung: assessment\.entries\.1\.1 \(chỉ tiêu “1\.1”\) đã thay đổi/);
    await adminPut(dossierAt('frozen2', 'recognised'));
    await refused('tt1', await stored('assessment:frozen2', (d) => {
      d.assessment.entries['9.9'] = { answer: { t: 'flag', v: true } };
    }), /“Đã công nhận” \(recognised\) không được sửa nội dung: assessment\.entries\.9\.9/);
    await refused('cn1', await stored('assessment:frozen2', (d) => {
      d.assessment.commune.name = 'Xã Khác';
    }), /assessment\.commune\.name đã thay đổi/);
    // The revision, the edit time and an empty field written another way are not content.
    await put('xa1', await stored('assessment:frozen1', (d) => {
      d.assessment.rev = { dev1: 2 };
      d.assessment.updated_at += 5;
      d.assessment.roster = { people: [] };
      d.assessment.commune.district = null;
    }));
  });

  test('attack: an xa writes reviewer comments (workflow.reviews) and verdict overrides', async () => {
    await adminPut(dossierAt('xarev', 'submitted'));
    await refused('xa1', await stored('assessment:xarev', (d) => {
      d.assessment.workflow.reviews['1.1'] = reviewEntry('xa1', 5, 'Đạt, đề nghị công nhận');
      d.assessment.workflow.audit.push(reviewEvent('xa1', 5, '1.1', 'Đạt, đề nghị công nhận'));
    }), /workflow\.audit\[\d+\] \(nhận xét chỉ tiêu “1\.1”\): ở trạng thái “Đã nộp” \(submitted\) chỉ tài khoản có vai trò “thẩm tra” \(tham_tra\) được ghi nhận xét/);
    await refused('xa1', await stored('assessment:xarev', (d) => {
      d.assessment.workflow.reviews['1.1'] = reviewEntry('xa1', 5, 'Đạt, đề nghị công nhận');
    }), /Nhận xét chỉ tiêu “1\.1” \(workflow\.reviews\.1\.1\): ở trạng thái “Đã nộp” \(submitted\) chỉ tài khoản có vai trò “thẩm tra” \(tham_tra\) được ghi nhận xét/);
    // An override alone (no audit line), on a dossier a reviewer already commented.
    await adminPut(dossierAt('xaover', 'reviewed'));
    await refused('xa1', await stored('assessment:xaover', (d) => {
      d.assessment.workflow.reviews['1.1'].override_met = false;
    }), /workflow\.reviews\.1\.1\): ở trạng thái “Đã thẩm tra” \(reviewed\) chỉ tài khoản có vai trò “thẩm định” \(tham_dinh\)/);
    // Not even the reviewer after the dossier moved on, nor anyone in a draft.
    await refused('tt1', await stored('assessment:xaover', (d) => {
      d.assessment.workflow.reviews['1.1'] = reviewEntry('tt1', 9, 'Sửa lại', false);
    }), /chỉ tài khoản có vai trò “thẩm định” \(tham_dinh\)/);
    await refused('xa1', assessmentDoc('xadraft', { reviews: { '1.1': reviewEntry('xa1', 1, 'x') } }),
      /chỉ ghi nhận xét khi hồ sơ đang được thẩm tra, thẩm định hoặc chờ công nhận, không phải ở trạng thái “Bản nháp”/);
  });

  test('conditions change only at appraised, by cong_nhan', async () => {
    await adminPut(dossierAt('cond', 'reviewed'));
    await refused('cn1', await stored('assessment:cond', (d) => {
      d.assessment.workflow.conditions = ['other_conditions'];
    }), /Điều kiện công nhận \(workflow\.conditions\): điều kiện công nhận chỉ được xác nhận khi hồ sơ chờ công nhận, không phải ở trạng thái “Đã thẩm tra”/);
  });

  test('optional commune scoping: an account with xa_<code> writes only those communes', async () => {
    await put('xa31882', assessmentDoc('scoped1'));
    await refused('xa31882', assessmentDoc('scoped2', { commune: { code: '31883', name: 'Xã Khác', province: 'Cà Mau' } }),
      /Tài khoản chỉ được ghi hồ sơ của xã có mã 31882 \(assessment\.commune\.code là “31883”\)/);
    const rev = await adminPut(assessmentDoc('scoped3', { commune: { code: '31883', name: 'Xã Khác', province: 'Cà Mau' } }));
    await refused('xa31882', assessmentDoc('scoped3', { rev }), /assessment\.commune\.code là “31883”/);
  });
});

describe('accounts and signers', () => {
  test('attack: an xa signs as the chair of the provincial People\'s Committee (free-text signer)', async () => {
    const forged = signed('xa1', 1, 'draft', 'submitted', 'submit', { by: signer('cn1') });
    await refused('xa1', assessmentDoc('chair', { stage: 'submitted', audit: [forged] }),
      /workflow\.audit\[0\]: người ký phải là “Trần Thị B” \(tên của tài khoản “xa1”\), không phải “Nguyễn Văn F”/);
    // Claiming another account, or none, is refused too; so is a title that is not the account's.
    await refused('xa1', assessmentDoc('chair2', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { account: 'cn1' })] }),
      /workflow\.audit\[0\]: sự kiện mới phải mang tài khoản đang ghi \(account = “xa1”\)/);
    await refused('xa1', assessmentDoc('chair3', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { account: null })] }),
      /sự kiện mới phải mang tài khoản đang ghi/);
    await refused('xa1', assessmentDoc('chair4', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { by: { name: ' Trần Thị B ', title: 'Chủ tịch UBND tỉnh' } })] }),
      /chức vụ người ký phải là “Công chức Văn phòng – thống kê xã”, không phải “Chủ tịch UBND tỉnh”/);
    // The list's own name, spaces trimmed, is fine.
    await put('xa1', assessmentDoc('chair5', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { by: { name: ' Trần Thị B', title: 'Công chức Văn phòng – thống kê xã ' } })] }));
  });

  test('attack: one account (tham_dinh + cong_nhan) appraises and then recognises the same dossier', async () => {
    await adminPut(dossierAt('twoparts', 'reviewed'));
    await put('tdcn1', await stored('assessment:twoparts', (d) => {
      d.assessment.workflow.stage = 'appraised';
      d.assessment.workflow.audit.push(signed('tdcn1', 9, 'reviewed', 'appraised', 'appraise'));
    }));
    // Ticking a condition is not signing a part: allowed at appraised with cong_nhan.
    await put('tdcn1', await stored('assessment:twoparts', (d) => {
      d.assessment.workflow.conditions = ['other_conditions'];
      d.assessment.workflow.audit.push(conditionEvent('tdcn1', 10, 'other_conditions'));
    }));
    await refused('tdcn1', await stored('assessment:twoparts', (d) => {
      d.assessment.workflow.stage = 'recognised';
      d.assessment.workflow.audit.push(signed('tdcn1', 11, 'appraised', 'recognised', 'recognise'));
    }), /workflow\.audit\[\d+\]: tài khoản “tdcn1” đã ký phần “thẩm định” của hồ sơ này; mỗi tài khoản chỉ ký một phần/);
    // The end-to-end tests' tinh1 (three parts' roles) likewise signs one part per dossier.
    await adminPut(dossierAt('tinh1parts', 'submitted'));
    await put('tinh1', await stored('assessment:tinh1parts', (d) => {
      d.assessment.workflow.stage = 'reviewed';
      d.assessment.workflow.audit.push(signed('tinh1', 9, 'submitted', 'reviewed', 'review'));
    }));
    await refused('tinh1', await stored('assessment:tinh1parts', (d) => {
      d.assessment.workflow.stage = 'appraised';
      d.assessment.workflow.audit.push(signed('tinh1', 10, 'reviewed', 'appraised', 'appraise'));
    }), /tài khoản “tinh1” đã ký phần “thẩm tra”/);
  });

  test('a recognition decision is well formed and only on the recognise step', async () => {
    await adminPut(dossierAt('decided', 'appraised'));
    const withDecision = (decision) => stored('assessment:decided', (d) => {
      d.assessment.workflow.stage = 'recognised';
      d.assessment.workflow.conditions = [];
      const e = signed('cn1', 11, 'appraised', 'recognised', 'recognise');
      e.decision = decision;
      d.assessment.workflow.audit.push(e);
    });
    const bad = /quyết định công nhận chỉ ghi ở bước công nhận, có số \(≤ 120 ký tự\) và ngày YYYY-MM-DD/;
    await refused('cn1', await withDecision({ number: '', date: '2026-11-20' }), bad);
    await refused('cn1', await withDecision({ number: '12/QĐ-UBND', date: '20/11/2026' }), bad);
    await refused('cn1', await withDecision({ number: 'x'.repeat(121), date: '2026-11-20' }), bad);
    await refused('cn1', await withDecision('12/QĐ-UBND'), bad);
    // On another step: refused.
    await adminPut(dossierAt('decided2', 'submitted'));
    await refused('tt1', await stored('assessment:decided2', (d) => {
      d.assessment.workflow.stage = 'reviewed';
      const e = signed('tt1', 9, 'submitted', 'reviewed', 'review');
      e.decision = { number: '12/QĐ-UBND', date: '2026-11-20' };
      d.assessment.workflow.audit.push(e);
    }), bad);
  });

  test('an account without a signer entry cannot sign', async () => {
    const u = await couch.admin('PUT', '/_users/org.couchdb.user:nosig', { name: 'nosig', password: 'pw-nosig', roles: ['xa', 'tinh_96'], type: 'user' });
    assert.equal(u.status, 201, u.text);
    cookies.nosig = await couch.login('nosig', 'pw-nosig');
    await put('nosig', assessmentDoc('nosig1'));
    await refused('nosig', assessmentDoc('nosig2', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { account: 'nosig' })] }),
      /tài khoản “nosig” không có trong danh sách người ký của máy chủ/);
  });

  test('the signer list is served as `signers` of _design/guard (members read it)', async () => {
    const r = await couch.request('GET', `${DBP}/_design/guard`, as('xa1'));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.signers.xa1, { name: 'Trần Thị B', title: 'Công chức Văn phòng – thống kê xã' });
    assert.deepEqual(Object.keys(r.body.signers).sort(), Object.keys(USERS).sort());
  });
});

describe('limits and shape', () => {
  test('attack: a document nested 300 levels deep from an xa', async () => {
    let deep = {};
    for (let k = 0; k < 300; k++) deep = { x: deep };
    const doc = assessmentDoc('deep');
    doc.assessment.entries['1.1'].extra = deep;
    await refused('xa1', doc, /Tài liệu lồng nhau quá 32 tầng/);
  });

  test('attack: a 4 M-character note', async () => {
    const doc = assessmentDoc('huge');
    doc.assessment.entries['1.1'].note = 'a'.repeat(4_000_000);
    await refused('xa1', doc, /Tài liệu quá lớn: \d+ ký tự, tối đa 262144/);
  });

  test('attack: an attachment (text/html) on an assessment', async () => {
    const doc = assessmentDoc('attach');
    doc._attachments = { 'x.html': { content_type: 'text/html', data: Buffer.from('<script>alert(1)</script>').toString('base64') } };
    await refused('xa1', doc, /Không nhận tệp đính kèm \(_attachments\)/);
  });

  test('attack: `_deleted: 1` (truthy, not true) deletes past the guard', async () => {
    await put('xa1', assessmentDoc('del1'));
    const doc = await stored('assessment:del1', (d) => { d._deleted = 1; });
    await refused('xa1', doc, /Chỉ quản trị viên được xoá tài liệu/);
    assert.equal((await couch.admin('GET', `${DBP}/assessment:del1`)).status, 200, 'still there');
  });

  test('attack: a commune of another province filed under this province', async () => {
    await refused('xa1', assessmentDoc('kg', { commune: { code: '30280', name: 'Xã Vĩnh Hòa Hiệp', province: 'Tỉnh Kiên Giang' } }),
      /Xã “Xã Vĩnh Hòa Hiệp” thuộc “Tỉnh Kiên Giang”, không thuộc tỉnh 96 \(Cà Mau, Bạc Liêu\) \(assessment\.commune\.province\)/);
    await refused('xa1', assessmentDoc('hcm', { commune: { name: 'Xã Bình Chánh', province: 'Thành phố Hồ Chí Minh' } }), /không thuộc tỉnh 96/);
    // The province's names, written as the app or an officer may write them.
    for (const [id, province] of [['cm1', 'Cà Mau'], ['cm2', ' tỉnh  cà mau '], ['bl1', 'Tỉnh Bạc Liêu'], ['cm3', 'TỈNH CÀ MAU']]) {
      await put('xa1', assessmentDoc(id, { commune: { code: '31882', name: 'Xã Vĩnh Thanh', province } }));
    }
  });

  test('a full real record is accepted and about a tenth of the size limit', async () => {
    const doc = fullRecord('full1');
    const size = JSON.stringify(doc).length;
    assert.ok(size > 20000 && size < 262144 / 8, `full record: ${size} characters`);
    await adminPut(doc);
  });
});

describe('framework documents', () => {
  test('attack: a framework whose _id is not the id@version of its text', async () => {
    await refused('xa1', { _id: 'framework:ntm-xa-2016-2020@1980/2016', type: 'framework', text: frameworkText() },
      /Mã tài liệu phải là “framework:mini@1” \(id@version của bộ tiêu chí\), không phải “framework:ntm-xa-2016-2020@1980\/2016”/);
  });

  test('attack: a framework whose text is not JSON', async () => {
    await refused('xa1', { _id: 'framework:x@1', type: 'framework', text: '<html>not a framework</html>' },
      /Nội dung bộ tiêu chí \(text\) không phải JSON hợp lệ/);
    await refused('xa1', { _id: 'framework:x@1', type: 'framework', text: JSON.stringify({ format: 'tieuchi-framework/1', id: 'x', version: '1', title: { vi: 'X' } }) },
      /Bộ tiêu chí thiếu nhóm tiêu chí \(groups\)/);
  });

  test('attack: a framework deleted, then re-created with other content by a member', async () => {
    const rev = await put('xa1', { _id: 'framework:mini@1', type: 'framework', text: frameworkText() });
    // No one deletes a framework: re-created without the tombstone's _rev, the guard would be
    // handed no old document (CouchDB 3 and pouchdb-server alike) and the id would be free.
    const u = await couch.admin('PUT', '/_users/org.couchdb.user:qt2', { name: 'qt2', password: 'pw-qt2', roles: ['quan_tri', 'tinh_96'], type: 'user' });
    assert.equal(u.status, 201, u.text);
    cookies.qt2 = await couch.login('qt2', 'pw-qt2');
    await refused('qt2', { _id: 'framework:mini@1', _rev: rev, _deleted: true }, /Không được xoá bộ tiêu chí/);
    await refused('admin', { _id: 'framework:mini@1', _rev: rev, _deleted: true }, /Không được xoá bộ tiêu chí/);
    const other = frameworkText((f) => { f.groups[0].criteria[0].indicators[1].threshold.national = 1; });
    await refused('xa1', { _id: 'framework:mini@1', _rev: rev, type: 'framework', text: other }, /Bộ tiêu chí “mini@1” đã có/);
    assert.equal(JSON.parse((await get('framework:mini@1')).text).groups[0].criteria[0].indicators[1].threshold.national, 45);
  });

  test('attack: framework thresholds of ±1e308 or not finite', async () => {
    const at = (v) => frameworkText((f) => { f.id = 'big'; f.groups[0].criteria[0].indicators[1].threshold.by.a = v; });
    await refused('xa1', { _id: 'framework:big@1', type: 'framework', text: at(1e308) },
      /Bộ tiêu chí: số 1e\+308 tại groups\[0\]\.criteria\[0\]\.indicators\[1\]\.threshold\.by\.a vượt giới hạn ±1000000000000/);
    await refused('xa1', { _id: 'framework:big@1', type: 'framework', text: at(-1e308) }, /số -1e\+308 tại/);
    await refused('xa1', { _id: 'framework:big@1', type: 'framework', text: at(7).replace('"a":7', '"a":1e999') }, /số Infinity tại/);
  });

  test('a real framework is accepted once; its text is limited and not nested too deep', async () => {
    for (const file of ['ntm-xa-2016-2020.json', 'ntm-xa-2026-2030-khung-tam.json']) {
      const text = bundledFramework(file);
      const fw = JSON.parse(text);
      await put('xa1', { _id: `framework:${fw.id}@${fw.version}`, type: 'framework', text });
    }
    let deep = '0';
    for (let k = 0; k < 40; k++) deep = `[${deep}]`;
    await refused('xa1', { _id: 'framework:mini@2', type: 'framework', text: frameworkText((f) => { f.version = '2'; f.notes = ['DEEP']; }).replace('"DEEP"', deep) },
      /Bộ tiêu chí lồng nhau quá 32 tầng/);
    const long = frameworkText((f) => { f.version = '3'; f.notes = ['x'.repeat(262144)]; });
    await refused('xa1', { _id: 'framework:mini@3', type: 'framework', text: long }, /Bộ tiêu chí quá lớn: \d+ ký tự, tối đa 262144/);
  });
});

describe('the legitimate chain', () => {
  test('five accounts: xa submits, a reviewer returns, xa edits and resubmits, another reviewer comments and reviews, the appraiser appraises, the recogniser ticks a condition and recognises', async () => {
    let doc = assessmentDoc('legit');
    const wf = () => doc.assessment.workflow;
    const write = async (user, change) => {
      doc = edited(doc, change);
      doc._rev = await put(user, doc);
    };
    doc._rev = await put('xa1', doc);
    await write('xa1', (d) => {
      d.assessment.workflow.stage = 'submitted';
      d.assessment.workflow.audit.push(signed('xa1', 1, 'draft', 'submitted', 'submit'));
    });
    await write('tt1', (d) => {
      d.assessment.workflow.stage = 'draft';
      d.assessment.workflow.audit.push(signed('tt1', 2, 'submitted', 'draft', 'return', { reason: 'Bổ sung biên bản họp dân' }));
    });
    await write('xa1', (d) => {
      d.assessment.entries['1.1'] = { answer: { t: 'flag', v: true }, note: 'Biên bản họp dân 20/10', source_ref: '12/BB-UBND' };
      d.assessment.updated_at += 1000;
      d.assessment.rev = { dev1: 3 };
    });
    await write('xa1', (d) => {
      d.assessment.workflow.stage = 'submitted';
      d.assessment.workflow.audit.push(signed('xa1', 3, 'draft', 'submitted', 'submit'));
    });
    await write('tt2', (d) => {
      d.assessment.workflow.reviews['1.1'] = reviewEntry('tt2', 4, 'Đã kiểm tra thực địa', true);
      d.assessment.workflow.audit.push(reviewEvent('tt2', 4, '1.1', 'Đã kiểm tra thực địa', true));
    });
    await write('tt2', (d) => {
      d.assessment.workflow.stage = 'reviewed';
      d.assessment.workflow.audit.push(signed('tt2', 5, 'submitted', 'reviewed', 'review'));
    });
    await write('td1', (d) => {
      d.assessment.workflow.stage = 'appraised';
      d.assessment.workflow.audit.push(signed('td1', 6, 'reviewed', 'appraised', 'appraise'));
    });
    await write('cn1', (d) => {
      d.assessment.workflow.conditions = ['other_conditions'];
      d.assessment.workflow.audit.push(conditionEvent('cn1', 7, 'other_conditions'));
    });
    await write('cn1', (d) => {
      d.assessment.workflow.stage = 'recognised';
      d.assessment.workflow.audit.push(signed('cn1', 8, 'appraised', 'recognised', 'recognise'));
    });
    const server = await get('assessment:legit');
    assert.equal(server.assessment.workflow.stage, 'recognised');
    assert.deepEqual(wf().audit.filter((e) => e.kind.type === 'stage').map((e) => [e.account, e.role, e.by.name]), [
      ['xa1', 'commune', 'Trần Thị B'], ['tt1', 'reviewer', 'Phạm Văn D'], ['xa1', 'commune', 'Trần Thị B'],
      ['tt2', 'reviewer', 'Đặng Thị G'], ['td1', 'appraiser', 'Hồ Thị E'], ['cn1', 'recogniser', 'Nguyễn Văn F'],
    ]);
    assert.deepEqual(server.assessment.workflow, wf());
  });
});

describe('installation, and the guard called with CouchDB 3\'s arguments', () => {
  test('the installed guard is ES5 (acorn, when installed) and a signer name holding placeholders or $& stays text', () => {
    const name = 'A __PROVINCE__ $& __SIGNERS__ \u2028 "q" \\';
    const src = guardSource('96', { signers: { x: { name, title: 't' } }, provinceNames: ['Cà Mau'] });
    // eslint-disable-next-line no-new-func
    const vdu = new Function(`return ${src}`)();
    const ctx = { name: 'x', roles: ['tinh_96', 'xa'] };
    const doc = (by) => assessmentDoc('inst', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { by, account: 'x' })] });
    assert.equal(vdu(doc({ name, title: 't' }), null, ctx, {}), undefined);
    assert.throws(() => vdu(doc({ name: 'A 96 $& ', title: 't' }), null, ctx, {}), (e) => /người ký phải là/.test(e.forbidden));
    let acorn;
    try {
      acorn = createRequire(import.meta.url)('acorn');
    } catch {
      return; // not installed: the syntax check is skipped
    }
    acorn.parse(`(${src})`, { ecmaVersion: 5 });
  });

  test('a member\'s replication-style write (new_edits:false) is refused: CouchDB hands the guard an ancestor, or nothing', () => {
    // CouchDB 3 (couch_db:prep_and_validate_replicated_updates): newDoc carries its new _rev and
    // _revisions; oldDoc is the nearest ancestor on disk, or null. An interactive write names the
    // revision it is validated against. pouchdb-server passes neither, so this runs on the function.
    const vdu = new Function(`return ${guardSource('96')}`)(); // eslint-disable-line no-new-func
    const xa = { name: 'xa1', roles: ['xa', 'tinh_96'] };
    const draft = { ...assessmentDoc('graft'), _rev: '2-aaa', _revisions: { start: 2, ids: ['aaa', 'first'] } };
    const branch = (ids) => ({ ...edited(draft, (d) => { d.assessment.entries['1.1'].answer.v = false; }), _rev: `${ids.length + 998}-fff`, _revisions: { start: ids.length + 998, ids } });
    const refusedHere = (doc, old, ctx = xa) => assert.throws(() => vdu(doc, old, ctx, {}), (e) => /Không nhận bản ghi kiểu nhân bản \(new_edits:false/.test(e.forbidden));
    refusedHere(branch(['fff', 'eee']), draft); // grafted onto an old draft revision
    refusedHere(branch(['fff']), null); // a fresh branch with no ancestor on the server
    // An interactive update (names the revision it replaces) and a create pass; so does _admin.
    assert.equal(vdu({ ...edited(draft, () => {}), _revisions: { start: 2, ids: ['aaa'] } }, draft, xa, {}), undefined);
    assert.equal(vdu(assessmentDoc('graft2'), null, xa, {}), undefined);
    assert.equal(vdu(branch(['fff', 'eee']), draft, { name: 'admin', roles: ['_admin'] }, {}), undefined);
  });

  test('a tombstone handed to the guard still holds a framework id (CouchDB passes it when the write names its _rev)', () => {
    // pouchdb-server never passes a deleted old document, so this is checked on the function itself.
    const vdu = new Function(`return ${guardSource('96')}`)(); // eslint-disable-line no-new-func
    const doc = { _id: 'framework:mini@1', _rev: '2-x', type: 'framework', text: frameworkText() };
    const tomb = { _id: 'framework:mini@1', _rev: '2-x', _deleted: true };
    assert.throws(() => vdu(doc, tomb, { name: 'xa1', roles: ['xa', 'tinh_96'] }, {}), (e) => /Bộ tiêu chí “mini@1” đã có \(hoặc đã bị xoá\)/.test(e.forbidden));
    assert.equal(vdu(doc, tomb, { name: 'admin', roles: ['_admin'] }, {}), undefined);
    assert.equal(vdu(doc, null, { name: 'xa1', roles: ['xa', 'tinh_96'] }, {}), undefined);
  });
});
