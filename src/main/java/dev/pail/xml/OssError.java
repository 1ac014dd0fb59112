package dev.pail.xml;

/**
 * The OSS error codes Pail emits, each with its HTTP status, default message and a fine-grained
 * {@code x-oss-ec} value. Codes and statuses follow shared/protocol/core.md §5.3.
 */
public enum OssError {
    ACCESS_DENIED("AccessDenied", 403, "You have no right to access this object because of bucket acl.", "0003-00000001"),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403, "The OSS Access Key Id you provided does not exist in our records.", "0002-00000902"),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            "0002-00000040"),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.", "0002-00000504"),
    INVALID_ARGUMENT("InvalidArgument", 400, "Invalid argument.", "0016-00000001"),
    INVALID_BUCKET_NAME("InvalidBucketName", 400, "The specified bucket is not valid.", "0015-00000101"),
    INVALID_OBJECT_NAME("InvalidObjectName", 400, "The specified object is not valid.", "0016-00000005"),
    NO_SUCH_BUCKET("NoSuchBucket", 404, "The specified bucket does not exist.", "0015-00000101"),
    NO_SUCH_KEY("NoSuchKey", 404, "The specified key does not exist.", "0026-00000001"),
    NO_SUCH_VERSION("NoSuchVersion", 404, "The specified version does not exist.", "0012-00000203"),
    BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409, "The requested bucket name is not available.", "0015-00000104"),
    BUCKET_NOT_EMPTY("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.", "0015-00000301"),
    FILE_ALREADY_EXISTS("FileAlreadyExists", 409, "The object you specified already exists and can not be overwritten.", "0026-00000201"),
    INVALID_DIGEST("InvalidDigest", 400, "The Content-MD5 you specified was invalid.", "0017-00000503"),
    MISSING_ARGUMENT("MissingArgument", 400, "Missing argument.", "0016-00000606"),
    MALFORMED_XML("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.", "0016-00000608"),
    ENTITY_TOO_LARGE("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size.", "0017-00000101"),
    MISSING_CONTENT_LENGTH("MissingContentLength", 411, "You must provide the Content-Length HTTP header.", "0017-00000201"),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405, "The specified method is not allowed against this resource.", "0016-00000001"),
    PRECONDITION_FAILED("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold.", "0026-00000101"),
    NOT_MODIFIED("NotModified", 304, "Not Modified", "0026-00000102"),
    INVALID_RANGE("InvalidRange", 416, "The requested range cannot be satisfied.", "0026-00000103"),
    TOO_MANY_BUCKETS("TooManyBuckets", 400, "You have attempted to create more buckets than allowed.", "0015-00000001"),
    REQUEST_HEADER_TOO_LARGE("RequestHeaderSectionTooLarge", 431, "Your request header section exceeds the maximum allowed size.", "0016-00000002"),
    INCOMPLETE_BODY("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.", "0017-00000202"),
    NO_SUCH_UPLOAD("NoSuchUpload", 404,
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            "0042-00000002"),
    INVALID_PART("InvalidPart", 400,
            "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
            "0042-00000003"),
    INVALID_PART_ORDER("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number.",
            "0042-00000004"),
    ENTITY_TOO_SMALL("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size.", "0042-00000005"),
    POSITION_NOT_EQUAL_TO_LENGTH("PositionNotEqualToLength", 409, "Position is not equal to file length.", "0026-00000016"),
    OBJECT_NOT_APPENDABLE("ObjectNotAppendable", 409, "The object is not appendable.", "0026-00000015"),
    INVALID_TAG("InvalidTag", 400, "The tag you have provided is invalid.", "0010-00000209"),
    SYMLINK_TARGET_NOT_EXIST("SymlinkTargetNotExist", 404, "The symbolic's target file does not exist.", "0043-00000102"),
    INVALID_TARGET_TYPE("InvalidTargetType", 400, "The symbolic's target file type is invalid.", "0043-00000103"),
    NOT_SYMLINK("NotSymlink", 400, "The specified object is not a symlink.", "0043-00000101"),
    BAD_REQUEST("BadRequest", 400, "The request is malformed.", "0040-00000001"),
    IMAGE_TOO_LARGE("ImageTooLarge", 400, "The image exceeds the limits of image processing.", "0040-00000005"),
    WATERMARK_ERROR("WatermarkError", 400, "The watermark could not be applied.", "0040-00000401"),
    NO_SUCH_STYLE("NoSuchStyle", 404, "The specified style does not exist.", "0040-00000250"),
    NOT_IMPLEMENTED("NotImplemented", 400, "A header or operation you provided implies functionality that is not implemented.", "0016-00000003"),
    CALLBACK_FAILED("CallbackFailed", 203, "The upload callback failed; the object was stored.", "0007-00000001"),
    INTERNAL_ERROR("InternalError", 500, "We encountered an internal error. Please try again.", "0000-00000001");

    private final String code;
    private final int status;
    private final String message;
    private final String ec;

    OssError(String code, int status, String message, String ec) {
        this.code = code;
        this.status = status;
        this.message = message;
        this.ec = ec;
    }

    public String code() { return code; }
    public int status() { return status; }
    public String defaultMessage() { return message; }
    public String ec() { return ec; }

    public OssException exception() { return new OssException(this, message); }
    public OssException exception(String message) { return new OssException(this, message); }
}
