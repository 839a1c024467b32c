(CNN) -- A small museum in rural Portugal has reopened after a ten-year restoration that saved hundreds of hand-painted tiles from damp and theft, officials said Friday.

The museum, housed in a former convent outside Évora, holds one of the country's largest collections of blue-and-white azulejo panels from the 17th and 18th centuries.

Restorers removed each tile, cleaned it and recorded its position before rebuilding the walls with a new drainage system. Around forty missing tiles were recreated by hand.

"Some panels had been in pieces on the floor when we arrived," said conservator Inês Carvalho. "Now you can read the whole story again, from the first tile to the last."

@highlight

Portuguese museum reopens after ten-year restoration of tile panels

@highlight

Collection holds 17th and 18th century azulejo panels

@highlight

Missing tiles recreated by hand, conservator says
