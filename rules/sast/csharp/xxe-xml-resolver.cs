using System.IO;
using System.Xml;

namespace Bank.Payments
{
    public class PainParser
    {
        public XmlDocument Load(Stream input)
        {
            var doc = new XmlDocument();
            // ruleid: csharp.xxe-xml-resolver
            doc.XmlResolver = new XmlUrlResolver();
            doc.Load(input);
            return doc;
        }

        public XmlReader Reader(Stream input)
        {
            var settings = new XmlReaderSettings();
            // ruleid: csharp.xxe-xml-resolver
            settings.DtdProcessing = DtdProcessing.Parse;
            return XmlReader.Create(input, settings);
        }

        public XmlReader ReaderInit(Stream input)
        {
            // ruleid: csharp.xxe-xml-resolver
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, MaxCharactersFromEntities = 0 };
            return XmlReader.Create(input, settings);
        }

        public XmlDocument LoadSafely(Stream input)
        {
            // ok: csharp.xxe-xml-resolver
            var doc = new XmlDocument { XmlResolver = null };
            doc.Load(input);
            return doc;
        }

        public XmlReader ReaderSafely(Stream input)
        {
            var settings = new XmlReaderSettings();
            // ok: csharp.xxe-xml-resolver
            settings.DtdProcessing = DtdProcessing.Prohibit;
            // ok: csharp.xxe-xml-resolver
            settings.XmlResolver = null;
            return XmlReader.Create(input, settings);
        }
    }
}
