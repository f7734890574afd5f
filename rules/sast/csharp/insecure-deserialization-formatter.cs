using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;
using System.Web.UI;

namespace Bank.Cache
{
    public class SessionStore
    {
        public object Load(Stream stream)
        {
            var formatter = new BinaryFormatter();
            // ruleid: csharp.insecure-deserialization-formatter
            return formatter.Deserialize(stream);
        }

        public object LoadViewState(string data)
        {
            // ruleid: csharp.insecure-deserialization-formatter
            return new LosFormatter().Deserialize(data);
        }

        public object LoadContract(Stream stream)
        {
            NetDataContractSerializer serializer = new NetDataContractSerializer();
            // ruleid: csharp.insecure-deserialization-formatter
            return serializer.ReadObject(stream);
        }

        public void Save(Stream stream, object value)
        {
            var formatter = new BinaryFormatter();
            // ok: csharp.insecure-deserialization-formatter
            formatter.Serialize(stream, value);
        }

        public Session LoadJson(Stream stream)
        {
            // ok: csharp.insecure-deserialization-formatter
            return JsonSerializer.Deserialize<Session>(stream);
        }

        public Session LoadContractSafely(Stream stream)
        {
            var serializer = new DataContractSerializer(typeof(Session));
            // ok: csharp.insecure-deserialization-formatter
            return (Session)serializer.ReadObject(stream);
        }
    }

    public class Session {}
}
