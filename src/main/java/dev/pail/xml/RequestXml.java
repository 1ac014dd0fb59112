package dev.pail.xml;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses request documents (Delete, CreateBucketConfiguration, ...) into records. A DOCTYPE is
 * refused and external entities are off, so a hostile body cannot read files or expand entities;
 * content after the root element is refused too. Documents are read as
 * XML 1.1 so that character references to control characters, which the Python V2 SDK writes for
 * such keys ({@code &#01;}), are accepted as they are by OSS.
 */
public final class RequestXml {
    private RequestXml() {}

    private static final XMLInputFactory INPUT;
    private static final XmlMapper MAPPER;

    static {
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // with DTDs off no entity can be declared: a reference to one is an error, never silently dropped
        in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        INPUT = in;
        MAPPER = new XmlMapper(XmlFactory.builder().xmlInputFactory(in).build());
        MAPPER.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        MAPPER.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) throw OssError.MALFORMED_XML.exception();
        byte[] xml = asXml11(body);
        refuseDoctype(xml);
        try {
            T value = MAPPER.readValue(xml, type);
            if (value == null) throw OssError.MALFORMED_XML.exception();
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof OssException oe) throw oe;
            throw OssError.MALFORMED_XML.exception();
        }
    }

    /** No OSS document has a DOCTYPE: one is refused outright rather than skipped. */
    private static void refuseDoctype(byte[] xml) {
        try {
            XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.DTD) throw OssError.MALFORMED_XML.exception();
                    if (event == XMLStreamConstants.START_ELEMENT) return;
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
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
        return ("<?xml version=\"1.1\" encoding=\"UTF-8\"?>" + referenceRestricted(s)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Rewrites raw control characters as character references. J1 writes them unescaped into Delete
     * documents; XML 1.1 refuses them raw (C0 except tab/LF/CR, and 0x7F-0x9F) and would turn a raw
     * NEL (0x85) or LINE SEPARATOR (0x2028) into a newline, i.e. another key.
     */
    private static String referenceRestricted(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean restricted = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) || c == 0x2028;
            if (restricted && b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (restricted) b.append("&#x").append(Integer.toHexString(c)).append(';');
            else if (b != null) b.append(c);
        }
        return b == null ? s : b.toString();
    }
}
