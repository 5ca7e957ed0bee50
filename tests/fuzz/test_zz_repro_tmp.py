import json

from django.test import Client

from .conftest import isolated_case


def show(label, response):
    body = response.content[:400].decode(errors="replace")
    print(f"\n### {label}\n{response.status_code} {response.get('Content-Type')}\n{body}")


def test_repro(fuzz_world, db, server_errors):
    ids, tokens = fuzz_world["ids"], fuzz_world["tokens"]
    teacher = {"HTTP_AUTHORIZATION": f"Token {tokens['teacher']}"}
    pupil = {"HTTP_AUTHORIZATION": f"Token {tokens['pupil']}"}
    c = Client(raise_request_exception=False)
    own_class, draft = ids["class_id"][0], ids["assignment_id"][1]
    link = ids["link_id"][0]
    cases = [
        ("R1 pupils POST", "post", f"/api/v1/classes/{own_class}/pupils/", {"names": ["Amy B."]},
         teacher),
        ("R2 join as pupil", "post", "/api/v1/join/", {"code": fuzz_world["fields"]["code"][1]},
         pupil),
        ("R2b join anonymous", "post", "/api/v1/join/",
         {"code": fuzz_world["fields"]["code"][0], "name": "Dee N."}, {}),
        ("R3 download abc", "get", "/api/v1/packs/abc/download/", None, pupil),
        ("R3b retrieve abc", "get", "/api/v1/packs/abc/", None, pupil),
        ("R4 open_at 0234", "patch", f"/api/v1/assignments/{draft}/",
         {"open_at": "0234-03-20T20:16:22Z"}, teacher),
        ("R5 open_at 0001+14", "patch", f"/api/v1/assignments/{draft}/",
         {"open_at": "0001-01-01T00:00:00+14:00"}, teacher),
        ("R5b due_at 9999-14", "patch", f"/api/v1/assignments/{draft}/",
         {"due_at": "9999-12-31T23:59:59-14:00"}, teacher),
        ("R5c due_at 9999Z", "patch", f"/api/v1/assignments/{draft}/",
         {"due_at": "9999-12-31T23:59:59Z"}, teacher),
        ("R5d adjust override 0001", "patch",
         f"/api/v1/assignments/{ids['assignment_id'][0]}/pupils/{ids['pupil_id'][0]}/",
         {"due_at_override": "0001-01-01T00:00:00+14:00"}, teacher),
        ("R5e adjust override 1800", "patch",
         f"/api/v1/assignments/{ids['assignment_id'][0]}/pupils/{ids['pupil_id'][0]}/",
         {"due_at_override": "1800-01-01T00:00:00Z"}, teacher),
        ("R5f create assignment due 0001", "post", f"/api/v1/classes/{own_class}/assignments/",
         {"page": ids["page_id"][0], "due_at": "0001-01-01T00:00:00+14:00"}, teacher),
        ("R6 packs page_id superscript", "get", "/api/v1/packs/?page_id=%C2%B2", None, pupil),
        ("R7 PUT mark abc", "put", "/api/v1/answers/abc/mark/", {"score": "1"}, teacher),
        ("R7b GET class abc", "get", "/api/v1/classes/abc/", None, teacher),
        ("R8 my assignment start", "post", f"/api/v1/my/assignments/{link}/start/", {}, pupil),
    ]
    for label, method, url, data, headers in cases:
        server_errors.clear()
        with isolated_case():
            kwargs = {"content_type": "application/json"} if data is not None else {}
            response = getattr(c, method)(url, json.dumps(data) if data is not None else None,
                                          **kwargs, **headers) if data is not None else \
                getattr(c, method)(url, **headers)
        show(label, response)
        for trace in server_errors:
            print(trace.strip().splitlines()[-1])
