package dev.livepatch.testkit.report;

import dev.livepatch.testkit.TestkitException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Several runs' JUnit XML files of one name (the JUnit Platform writes one per engine, {@code TEST-junit-jupiter.xml})
 * as one: the first file's suite with every run's test cases, its counts and time the sums.
 */
final class JunitXmlMerge {
    private static final List<String> COUNTS = List.of("tests", "skipped", "failures", "errors");

    private JunitXmlMerge() {}

    static String merge(List<Path> files) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document merged = factory.newDocumentBuilder().parse(files.get(0).toFile());
            Element suite = merged.getDocumentElement();
            for (Path file : files.subList(1, files.size())) {
                Element other =
                        factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
                NodeList cases = other.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    suite.appendChild(merged.importNode(cases.item(i), true));
                }
                for (String count : COUNTS) {
                    suite.setAttribute(count, Long.toString(number(suite, count) + number(other, count)));
                }
                suite.setAttribute(
                        "time", String.format(Locale.ROOT, "%.3f", decimal(suite, "time") + decimal(other, "time")));
            }
            return text(merged);
        } catch (IOException e) {
            throw new TestkitException("Could not read the JUnit XML " + files, e);
        } catch (SAXException | ParserConfigurationException | TransformerException e) {
            throw new IllegalArgumentException(
                    "Could not merge the JUnit XML files " + files + ": " + e.getMessage(), e);
        }
    }

    private static long number(Element element, String attribute) {
        String value = element.getAttribute(attribute);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static double decimal(Element element, String attribute) {
        String value = element.getAttribute(attribute);
        return value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    private static String text(Node document) throws TransformerException {
        TransformerFactory factory = TransformerFactory.newInstance();
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        var transformer = factory.newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }
}
