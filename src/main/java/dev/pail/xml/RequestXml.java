package dev.pail.xml;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;

/**
 * Parses request documents (Delete, CreateBucketConfiguration, ...) into records. DTDs and external
 * entities are off, so a hostile body cannot read files or expand entities. Documents are read as
 * XML 1.1 so that character references to control characters, which the Python V2 SDK writes for
 * such keys ({@code &#01;}), are accepted as they are by OSS.
 */
public final class RequestXml {
    private RequestXml() {}

    private static final XmlMapper MAPPER;

    static {
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        MAPPER = new XmlMapper(XmlFactory.builder().xmlInputFactory(in).build());
        MAPPER.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) throw OssError.MALFORMED_XML.exception();
        try {
            T value = MAPPER.readValue(asXml11(body), type);
            if (value == null) throw OssError.MALFORMED_XML.exception();
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof OssException oe) throw oe;
            throw OssError.MALFORMED_XML.exception();
        }
    }

    private static byte[] asXml11(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).stripLeading();
        if (s.startsWith("\uFEFF")) s = s.substring(1);
        if (s.startsWith("<?xml")) {
            int end = s.indexOf("?>");
            if (end < 0) throw OssError.MALFORMED_XML.exception();
            s = s.substring(end + 2);
        }
        return ("<?xml version=\"1.1\" encoding=\"UTF-8\"?>" + s).getBytes(StandardCharsets.UTF_8);
    }
}
