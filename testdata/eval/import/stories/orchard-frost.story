A late frost has destroyed about half of the apple blossoms in the valley's orchards, growers said on Monday, warning of a short harvest and higher prices in the autumn.

Temperatures fell to minus 4 degrees Celsius on Saturday night, two weeks after the trees had flowered.

"We lit fires between the rows all night, but it was not enough," said grower Anna Brandt.

@highlight

A late frost destroyed about half of the valley's apple blossoms

@highlight

Growers expect a short harvest and higher prices

@highlight

Temperatures fell to minus 4 degrees after the trees had flowered
