using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Bank.Messaging
{
    public class MessageCodec
    {
        public object Decode(string json)
        {
            var settings = new JsonSerializerSettings
            {
                // ruleid: csharp.newtonsoft-typenamehandling
                TypeNameHandling = TypeNameHandling.All,
            };
            return JsonConvert.DeserializeObject(json, settings);
        }

        public object DecodeAuto(string json)
        {
            var settings = new JsonSerializerSettings();
            // ruleid: csharp.newtonsoft-typenamehandling
            settings.TypeNameHandling = TypeNameHandling.Auto;
            return JsonConvert.DeserializeObject(json, settings);
        }

        public JsonSerializer Serializer()
        {
            // ruleid: csharp.newtonsoft-typenamehandling
            return new JsonSerializer { TypeNameHandling = TypeNameHandling.Objects };
        }

        public object DecodeBound(string json, ISerializationBinder binder)
        {
            var settings = new JsonSerializerSettings
            {
                // ok: csharp.newtonsoft-typenamehandling
                TypeNameHandling = TypeNameHandling.Auto,
                SerializationBinder = binder,
            };
            return JsonConvert.DeserializeObject(json, settings);
        }

        public object DecodePlain(string json)
        {
            // ok: csharp.newtonsoft-typenamehandling
            var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };
            return JsonConvert.DeserializeObject(json, settings);
        }

        public object DecodeBoundLater(string json, ISerializationBinder binder)
        {
            var settings = new JsonSerializerSettings();
            // ok: csharp.newtonsoft-typenamehandling
            settings.TypeNameHandling = TypeNameHandling.Auto;
            settings.SerializationBinder = binder;
            return JsonConvert.DeserializeObject(json, settings);
        }
    }
}
