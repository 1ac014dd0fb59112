"""OSS request signing for the benchmark (python3 stdlib only).

V1 header and presigned signatures (HMAC-SHA1) and V4 header signatures (OSS4-HMAC-SHA256), as specified in
the protocol notes (core.md §3.2-§3.4). `python3 osssign.py selftest` checks them against the worked examples
there (E1, E3, E4); run.sh runs it first, so a broken signer stops the benchmark instead of producing a run
full of 403s.
"""

import base64
import datetime
import hashlib
import hmac
import sys
import time
import urllib.parse

V4_ALGORITHM = "OSS4-HMAC-SHA256"
UNSIGNED = "UNSIGNED-PAYLOAD"


def http_date(t=None):
    """RFC 1123 date, as the Date header wants it."""
    t = time.time() if t is None else t
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def v1_signature(secret, verb, resource, date, content_md5="", content_type="", oss_headers=None):
    """Base64 HMAC-SHA1 of the V1 string-to-sign. `resource` is the canonicalized resource
    (/bucket/key with the raw key, plus signed sub-resources); `oss_headers` maps x-oss-* names to values."""
    canon = "".join(
        f"{k}:{v.strip()}\n" for k, v in sorted((k.lower(), v) for k, v in (oss_headers or {}).items())
        if k.startswith("x-oss-"))
    sts = f"{verb}\n{content_md5}\n{content_type}\n{date}\n{canon}{resource}"
    return base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()


def v1_authorization(ak, secret, verb, resource, date, content_md5="", content_type="", oss_headers=None):
    return f"OSS {ak}:{v1_signature(secret, verb, resource, date, content_md5, content_type, oss_headers)}"


def v1_presigned_query(ak, secret, verb, resource, expires):
    """Query string (without '?') of a V1 presigned URL for `resource`, valid until unix time `expires`."""
    sig = v1_signature(secret, verb, resource, str(expires))
    return (f"OSSAccessKeyId={urllib.parse.quote(ak, safe='')}&Expires={expires}"
            f"&Signature={urllib.parse.quote(sig, safe='')}")


def rfc3986(s, encode_slash):
    return urllib.parse.quote(s, safe="-_.~" + ("" if encode_slash else "/"))


def _hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


_KEYS = {}


def v4_signing_key(secret, day, region, product="oss"):
    spec = (secret, day, region, product)
    if spec not in _KEYS:
        k = _hmac256(("aliyun_v4" + secret).encode(), day)
        k = _hmac256(k, region)
        k = _hmac256(k, product)
        _KEYS[spec] = _hmac256(k, "aliyun_v4_request")
    return _KEYS[spec]


def v4_canonical_request(verb, bucket, key, query, headers, additional=()):
    """`query`: list of (name, value) decoded pairs; `headers`: dict lower-case name -> value (as sent)."""
    uri = "/" if bucket is None else "/" + rfc3986(bucket, False) + "/" + rfc3986(key or "", False)
    q = sorted((rfc3986(n, True), rfc3986(v, True)) for n, v in query)
    cq = "&".join(n if not v else f"{n}={v}" for n, v in q)
    add = sorted(h.lower() for h in additional)
    ch = "".join(f"{n}:{v.strip()}\n" for n, v in sorted(headers.items())
                 if n.startswith("x-oss-") or n in ("content-type", "content-md5") or n in add)
    payload = headers.get("x-oss-content-sha256", UNSIGNED).strip()
    return f"{verb}\n{uri}\n{cq}\n{ch}\n{';'.join(add)}\n{payload}"


def v4_authorization(ak, secret, region, verb, bucket, key, query=(), headers=None, additional=()):
    """The Authorization value for a request whose headers already hold x-oss-date (yyyymmddTHHMMSSZ)."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    stamp = headers["x-oss-date"]
    day = stamp[:8]
    scope = f"{day}/{region}/oss/aliyun_v4_request"
    creq = v4_canonical_request(verb, bucket, key, list(query), headers, additional)
    sts = f"{V4_ALGORITHM}\n{stamp}\n{scope}\n{hashlib.sha256(creq.encode('latin-1')).hexdigest()}"
    sig = hmac.new(v4_signing_key(secret, day, region), sts.encode(), hashlib.sha256).hexdigest()
    add = ";".join(sorted(h.lower() for h in additional))
    return f"{V4_ALGORITHM} Credential={ak}/{scope}," + (f"AdditionalHeaders={add}," if add else "") + f"Signature={sig}"


def v4_stamp(t=None):
    t = time.time() if t is None else t
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def v4_get_headers(ak, secret, region, verb, bucket, key, t=None):
    """Headers (dict) of a V4 header-signed request without a body: x-oss-date, x-oss-content-sha256, Authorization."""
    h = {"x-oss-date": v4_stamp(t), "x-oss-content-sha256": UNSIGNED}
    h["Authorization"] = v4_authorization(ak, secret, region, verb, bucket, key, (), h)
    return h


def selftest():
    """The worked examples of core.md §3.9."""
    ak, sk = "LTAI5tDemoAccessKeyId", "DemoAccessKeySecret0123456789ab"
    key = "dir/exa mple+1.txt"
    # E1: V1 header PutObject
    got = v1_authorization(ak, sk, "PUT", "/examplebucket/" + key, "Sun, 03 Dec 2023 12:00:00 GMT",
                           "XUFAKrxLKna5cZ2REBfFkg==", "text/plain",
                           {"x-oss-meta-Author": "alice", "x-oss-object-acl": "private"})
    assert got == "OSS LTAI5tDemoAccessKeyId:ZqFQN0c7bwIv/+lwZhNjvN9bMls=", got
    # E3: V1 presigned GET (resource with signed sub-resources)
    sig = v1_signature(sk, "GET", "/examplebucket/" + key
                       + '?response-content-disposition=attachment; filename="a b.txt"&versionId=CAEQ1', "1701608400")
    assert sig == "OHKoGEmxpS6S7Qc9q0y01cWnZ7Q=", sig
    # E4: V4 header PutObject
    assert v4_signing_key(sk, "20231203", "cn-hangzhou").hex() == \
        "f325052ef1e78d3dc5639505d29d42ee38ef4982baf6240b076d2cf288bda499"
    got = v4_authorization(ak, sk, "cn-hangzhou", "PUT", "examplebucket", key, (), {
        "Content-MD5": "XUFAKrxLKna5cZ2REBfFkg==", "Content-Type": "text/plain", "x-oss-date": "20231203T120000Z",
        "x-oss-content-sha256": UNSIGNED, "x-oss-meta-author": "alice", "x-oss-object-acl": "private"})
    assert got == ("OSS4-HMAC-SHA256 Credential=LTAI5tDemoAccessKeyId/20231203/cn-hangzhou/oss/aliyun_v4_request,"
                   "Signature=99f1531434d57f00b66206595210f4cf61a062b293a592b0a48c2e2e3e4420f6"), got
    # E5: V4 ListObjectsV2 with AdditionalHeaders=host
    got = v4_authorization(ak, sk, "cn-hangzhou", "GET", "examplebucket", None,
                           [("list-type", "2"), ("prefix", "dir/"), ("max-keys", "10"), ("encoding-type", "url"),
                            ("delimiter", "/")],
                           {"Host": "examplebucket.oss-cn-hangzhou.aliyuncs.com", "x-oss-date": "20231203T120000Z",
                            "x-oss-content-sha256": UNSIGNED}, ["host"])
    assert got.endswith("AdditionalHeaders=host,Signature="
                        "9a6f309bedca21fb4c3de247bd97caaad539b0936440fbf415915ea3027af8e3"), got
    print("osssign: V1 header, V1 presign, V4 header: worked examples match")


if __name__ == "__main__":
    if sys.argv[1:] == ["selftest"]:
        selftest()
    else:
        sys.exit("usage: osssign.py selftest")
