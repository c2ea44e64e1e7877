Console.WriteLine("GopiAI.Toolkit runtime demo");
