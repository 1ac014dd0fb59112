package dev.pail.xml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A small fluent layer over StAX for OSS response documents: UTF-8, the standard prolog, no
 * namespace, text escaped by the StAX writer.
 */
public final class XmlWriter {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private static final byte[] PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final XMLStreamWriter w;

    private XmlWriter(String root) {
        try {
            out.writeBytes(PROLOG);
            w = FACTORY.createXMLStreamWriter(out, "UTF-8");
            w.writeStartElement(root);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a document whose root element is {@code root}. */
    public static XmlWriter document(String root) { return new XmlWriter(root); }

    public XmlWriter start(String name) {
        try {
            w.writeStartElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public XmlWriter end() {
        try {
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name>text</name>}; a null text writes an empty element. */
    public XmlWriter element(String name, Object text) {
        try {
            w.writeStartElement(name);
            if (text != null) w.writeCharacters(sanitize(text.toString()));
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Character data inside the current element. */
    public XmlWriter text(Object text) {
        try {
            w.writeCharacters(sanitize(text.toString()));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Writes the element only when {@code text} is not null. */
    public XmlWriter optional(String name, Object text) {
        return text == null ? this : element(name, text);
    }

    /** Closes every open element and returns the UTF-8 bytes. */
    public byte[] bytes() {
        try {
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public String string() { return new String(bytes(), StandardCharsets.UTF_8); }

    /**
     * XML 1.0 cannot carry most control characters even as references; keys may contain them, so
     * they are replaced here. Clients that need exact keys ask for {@code encoding-type=url}.
     */
    private static String sanitize(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char d = s.charAt(j);
                    b.append(d < 0x20 && d != '\t' && d != '\n' && d != '\r' ? '\uFFFD' : d);
                }
                return b.toString();
            }
        }
        return s;
    }
}
